namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// What a call cost, from <c>Ai:Prices:{model}</c>. Providers answer with dated snapshots of the model asked for
/// (gpt-4o-mini → gpt-4o-mini-2024-07-18), so a price also covers the names that extend it with a dash.
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices = new(StringComparer.OrdinalIgnoreCase);

    public PriceTable(IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        foreach (var (key, price) in prices)
        {
            _prices[string.IsNullOrWhiteSpace(price.Model) ? key : price.Model] = price;
        }
        // The built-in responder runs here, free, whatever the configuration says.
        _prices[LocalResponderChatClient.ModelId] = new ModelPrice();
    }

    public ModelCost Cost(string? model, long tokensIn, long tokensOut)
    {
        if (model is null || Find(model) is not { } price)
        {
            return new ModelCost(0m, IsPriced: false);
        }

        return new ModelCost((tokensIn * price.InputPerMillion + tokensOut * price.OutputPerMillion) / 1_000_000m, IsPriced: true);
    }

    private ModelPrice? Find(string model)
    {
        if (_prices.TryGetValue(model, out var exact))
        {
            return exact;
        }

        return _prices
            .Where(entry => model.Length > entry.Key.Length && model[entry.Key.Length] == '-' && model.StartsWith(entry.Key, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(entry => entry.Key.Length)
            .Select(entry => entry.Value)
            .FirstOrDefault();
    }
}
