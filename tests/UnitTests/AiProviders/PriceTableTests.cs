using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.UnitTests.AiProviders;

public class PriceTableTests
{
    private readonly PriceTable _prices = new(new Dictionary<string, ModelPrice>
    {
        ["gpt-4o-mini"] = new() { InputPerMillion = 0.15m, OutputPerMillion = 0.60m },
        ["gpt-4o"] = new() { InputPerMillion = 2.50m, OutputPerMillion = 10m },
        ["claude-haiku-4-5"] = new() { InputPerMillion = 1m, OutputPerMillion = 5m },
        ["llama31"] = new() { Model = "llama3.1:8b", InputPerMillion = 0.01m, OutputPerMillion = 0.02m },
    });

    [Fact]
    public void Cost_is_tokens_times_the_price_per_million_for_input_and_output()
    {
        var cost = _prices.Cost("gpt-4o-mini", tokensIn: 1_000, tokensOut: 500);

        Assert.Equal(new ModelCost(0.00045m, IsPriced: true), cost); // 1000 × 0.15/1M + 500 × 0.60/1M
    }

    [Fact]
    public void A_million_tokens_each_way_costs_the_two_prices_added()
        => Assert.Equal(6m, _prices.Cost("claude-haiku-4-5", 1_000_000, 1_000_000).Usd);

    [Theory]
    [InlineData("gpt-4o-mini-2024-07-18", 0.00045)]
    [InlineData("gpt-4o-2024-08-06", 0.0075)] // Longest price name that the model extends: not gpt-4o-mini's.
    [InlineData("claude-haiku-4-5-20251001", 0.0035)]
    [InlineData("GPT-4O-MINI", 0.00045)]
    public void A_dated_snapshot_or_a_differently_cased_name_takes_its_models_price(string model, double usd)
        => Assert.Equal(new ModelCost((decimal)usd, IsPriced: true), _prices.Cost(model, 1_000, 500));

    [Fact]
    public void A_model_whose_name_cannot_be_a_configuration_key_is_priced_through_its_Model_field()
        => Assert.Equal(new ModelCost(0.00002m, IsPriced: true), _prices.Cost("llama3.1:8b", 1_000, 500));

    [Theory]
    [InlineData("mistral-large")]
    [InlineData("gpt-4")] // A shorter name is not a snapshot of a longer one.
    [InlineData("gpt-4omni")] // Extending a name without a dash is another model.
    [InlineData(null)]
    public void An_unknown_model_costs_nothing_and_says_so(string? model)
        => Assert.Equal(new ModelCost(0m, IsPriced: false), _prices.Cost(model, 1_000, 500));

    [Fact]
    public void The_local_responder_is_free_without_configuration()
        => Assert.Equal(new ModelCost(0m, IsPriced: true), new PriceTable(new Dictionary<string, ModelPrice>()).Cost(LocalResponderChatClient.ModelId, 1_000, 500));
}
