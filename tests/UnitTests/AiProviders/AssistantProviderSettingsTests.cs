using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.UnitTests.AiProviders;

public class AssistantProviderSettingsTests
{
    [Fact]
    public void The_chain_lists_the_providers_in_order()
    {
        Assert.Equal(["claude", "openai"], AssistantProviderSettings.Parse("""{"chain":["claude","openai"],"temperature":0.2}""").Chain);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("""{"chain":null}""")]
    [InlineData("""{"chain":[]}""")]
    public void No_chain_means_the_deployments_chain(string json)
    {
        Assert.Empty(AssistantProviderSettings.Parse(json).Chain);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{not json")]
    [InlineData("""{"chain":"openai"}""")]
    [InlineData("""{"chain":["openai", 7]}""")]
    [InlineData("""{"chain":["openai", " "]}""")]
    public void Settings_that_cannot_be_read_are_refused(string json)
    {
        Assert.Throws<InvalidAssistantSettingsException>(() => AssistantProviderSettings.Parse(json));
    }
}
