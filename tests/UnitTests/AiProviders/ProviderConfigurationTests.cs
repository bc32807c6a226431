using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.UnitTests.AiProviders;

public class ProviderConfigurationTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAiProviders();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void The_Ai_section_becomes_providers_a_chain_and_prices()
    {
        using var services = Services(new()
        {
            ["Ai:Providers:openai:Kind"] = "OpenAI",
            ["Ai:Providers:openai:Endpoint"] = "http://127.0.0.1:11434/v1",
            ["Ai:Providers:openai:Model"] = "llama3.1:8b",
            ["Ai:Providers:openai:TimeoutSeconds"] = "20",
            ["Ai:Providers:claude:Kind"] = "anthropic",
            ["Ai:Providers:claude:ApiKey"] = "sk-ant-x",
            ["Ai:Providers:claude:Model"] = "claude-haiku-4-5",
            ["Ai:Chain:0"] = "claude",
            ["Ai:Chain:1"] = "openai",
            ["Ai:Chain:2"] = "local",
            ["Ai:Prices:claude-haiku-4-5:InputPerMillion"] = "1",
            ["Ai:Prices:claude-haiku-4-5:OutputPerMillion"] = "5",
        });

        var registry = services.GetRequiredService<ProviderRegistry>();
        var options = services.GetRequiredService<IOptions<AiOptions>>().Value;

        Assert.Equal(["claude", "openai", "local"], registry.DefaultChain);
        Assert.Equal(["claude", "openai", "local"], registry.CreateChain().Providers);
        Assert.IsType<OpenAIChatClient>(registry.GetClient("OpenAI"));
        Assert.IsType<AnthropicChatClient>(registry.GetClient("claude"));
        Assert.IsType<LocalResponderChatClient>(registry.GetClient("local"));
        Assert.Equal(TimeSpan.FromSeconds(20), options.Providers["openai"].Timeout);
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), options.Providers["openai"].Endpoint);
        Assert.Equal(new ModelCost(0.000006m, IsPriced: true), services.GetRequiredService<PriceTable>().Cost("claude-haiku-4-5", 1, 1));
    }

    [Fact]
    public void With_nothing_configured_the_chain_is_the_local_responder()
    {
        using var services = Services([]);

        var registry = services.GetRequiredService<ProviderRegistry>();

        Assert.Equal(["local"], registry.DefaultChain);
        Assert.Equal([ProviderRegistry.LocalProviderName], registry.ProviderNames);
    }

    [Fact]
    public void A_configuration_that_could_only_fail_later_fails_at_startup()
    {
        using var services = Services(new()
        {
            ["Ai:Providers:openai:Kind"] = "OpenAI",
            ["Ai:Providers:nokind:Model"] = "x",
            ["Ai:Providers:local:Kind"] = "Anthropic",
            ["Ai:Providers:local:Model"] = "claude-haiku-4-5",
            ["Ai:Providers:slow:Kind"] = "Local",
            ["Ai:Providers:slow:TimeoutSeconds"] = "0",
            ["Ai:Chain:0"] = "mistral",
            ["Ai:Prices:gpt-4o:InputPerMillion"] = "-1",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AiOptions>>().Value);

        Assert.Contains("Ai:Providers:openai:Model is required.", failure.Failures);
        Assert.Contains(failure.Failures, f => f.StartsWith("Ai:Providers:nokind:Kind is required", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("Ai:Providers:local is the built-in", StringComparison.Ordinal));
        Assert.Contains("Ai:Providers:slow:TimeoutSeconds must be positive.", failure.Failures);
        Assert.Contains(failure.Failures, f => f.StartsWith("Ai:Chain names 'mistral'", StringComparison.Ordinal));
        Assert.Contains("Ai:Prices:gpt-4o cannot be negative.", failure.Failures);
    }
}
