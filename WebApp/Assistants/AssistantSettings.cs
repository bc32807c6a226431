using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Assistants;

/// <summary>
/// Creates and edits the tenant's assistants, and the tenant's monthly AI budget (the engine's AiBudget reads it for
/// every assistant). provider_settings is the MessageProcessor's document (<c>{"chain": [...], "language", "model",
/// "maxTokens", "contextTokens"}</c>): the form sets its own keys and keeps the others.
/// </summary>
public sealed partial class AssistantSettings(SaasDbContext db, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxPromptLength = 20_000;
    public const int MaxGreetingLength = 1_000;
    public const int MaxBufferTimeoutMs = 60_000;
    public static readonly string[] Languages = ["pt-BR", "en"];

    public async Task<IReadOnlyList<AssistantView>> ListAsync(CancellationToken cancellationToken)
        => (await db.Assistants.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken)).Select(View).ToList();

    public async Task<AssistantView?> FindAsync(Guid id, CancellationToken cancellationToken)
        => await db.Assistants.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is { } assistant ? View(assistant) : null;

    public async Task<(Guid? Id, FormRefusal? Refusal)> CreateAsync(AssistantForm form, CancellationToken cancellationToken)
    {
        if (Check(form) is { } refusal)
        {
            return (null, refusal);
        }
        var workspaceId = await db.Workspaces.OrderBy(w => w.CreatedAt).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken);
        if (workspaceId is null)
        {
            return (null, new FormRefusal("no_workspace"));
        }

        var assistant = new Assistant { Id = Guid.CreateVersion7(), WorkspaceId = workspaceId.Value, Name = "", SystemPrompt = "", CreatedAt = clock.GetUtcNow() };
        Apply(assistant, form);
        db.Assistants.Add(assistant);
        await db.SaveChangesAsync(cancellationToken);
        return (assistant.Id, null);
    }

    public async Task<FormRefusal?> UpdateAsync(Guid id, AssistantForm form, CancellationToken cancellationToken)
    {
        var assistant = await db.Assistants.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assistant is null)
        {
            return new FormRefusal("not_found");
        }
        if (Check(form) is { } refusal)
        {
            return refusal;
        }

        Apply(assistant, form);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public Task<decimal?> MonthlyBudgetAsync(CancellationToken cancellationToken)
        => db.Tenants.Select(t => t.AiMonthlyBudgetUsd).FirstOrDefaultAsync(cancellationToken);

    /// <param name="text">US dollars, e.g. 25 or 25.50; empty: the plan's budget.</param>
    public async Task<FormRefusal?> SetMonthlyBudgetAsync(string? text, CancellationToken cancellationToken)
    {
        decimal? budget = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (!decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || value > 1_000_000 || decimal.Round(value, 2) != value)
            {
                return new FormRefusal("budget", "monthlyBudgetUsd");
            }
            budget = value;
        }

        await db.Tenants.ExecuteUpdateAsync(s => s.SetProperty(t => t.AiMonthlyBudgetUsd, budget), cancellationToken);
        return null;
    }

    private static FormRefusal? Check(AssistantForm form)
    {
        if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Trim().Length > MaxNameLength)
        {
            return new FormRefusal("assistant_name", "name");
        }
        if (string.IsNullOrWhiteSpace(form.SystemPrompt) || form.SystemPrompt.Length > MaxPromptLength)
        {
            return new FormRefusal("system_prompt", "systemPrompt");
        }
        if (form.Greeting?.Length > MaxGreetingLength)
        {
            return new FormRefusal("greeting", "greeting");
        }
        if (!string.IsNullOrEmpty(form.Language) && !Languages.Contains(form.Language))
        {
            return new FormRefusal("language", "language");
        }
        if (form.BufferTimeoutMs is < 0 or > MaxBufferTimeoutMs)
        {
            return new FormRefusal("buffer_timeout", "bufferTimeoutMs");
        }
        if (Chain(form.ProviderChain).Any(name => !NamePattern().IsMatch(name)))
        {
            return new FormRefusal("provider_chain", "providerChain");
        }
        if (form.Model is { Length: > 0 } model && !NamePattern().IsMatch(model.Trim()))
        {
            return new FormRefusal("model", "model");
        }
        return null;
    }

    private static void Apply(Assistant assistant, AssistantForm form)
    {
        assistant.Name = form.Name!.Trim();
        assistant.SystemPrompt = form.SystemPrompt!.Trim();
        assistant.Greeting = string.IsNullOrWhiteSpace(form.Greeting) ? null : form.Greeting.Trim();
        assistant.BufferTimeoutMs = form.BufferTimeoutMs ?? assistant.BufferTimeoutMs;

        var settings = JsonNode.Parse(string.IsNullOrWhiteSpace(assistant.ProviderSettings) ? "{}" : assistant.ProviderSettings) as JsonObject ?? [];
        var chain = Chain(form.ProviderChain);
        Set(settings, "chain", chain.Count == 0 ? null : new JsonArray(chain.Select(name => (JsonNode?)JsonValue.Create(name)).ToArray()));
        Set(settings, "language", string.IsNullOrEmpty(form.Language) ? null : JsonValue.Create(form.Language));
        Set(settings, "model", string.IsNullOrWhiteSpace(form.Model) ? null : JsonValue.Create(form.Model.Trim()));
        assistant.ProviderSettings = settings.ToJsonString();
    }

    private static void Set(JsonObject settings, string key, JsonNode? value)
    {
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }
    }

    private static List<string> Chain(string? text)
        => (text ?? "").Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    private static AssistantView View(Assistant assistant)
    {
        using var settings = JsonDocument.Parse(string.IsNullOrWhiteSpace(assistant.ProviderSettings) ? "{}" : assistant.ProviderSettings);
        var root = settings.RootElement;
        string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var chain = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("chain", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList()
            : [];
        return new AssistantView(assistant.Id, assistant.Name, assistant.SystemPrompt, assistant.Greeting, Text("language"), assistant.BufferTimeoutMs,
            chain, Text("model"), assistant.CreatedAt);
    }

    [GeneratedRegex("^[A-Za-z0-9._:/-]{1,100}$")]
    private static partial Regex NamePattern();
}
