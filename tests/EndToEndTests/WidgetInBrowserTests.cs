using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.EndToEndTests;

/// <summary>
/// What a newcomer does after the run command: types into the widget on the demo page as a customer, sees the reply,
/// and, signed in to the WebApp as the demo agent, watches the same conversation update live without a reload.
/// </summary>
[Collection(RunningSystem.Collection)]
public sealed class WidgetInBrowserTests(RunningSystem system, Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_customer_chats_in_the_widget_and_the_agent_sees_it_live_in_the_webapp()
    {
        var customer = await browser.Instance.NewPageAsync();
        await customer.GotoAsync(new Uri(system.Gateway, "/demo").ToString());
        var outbound = customer.Locator("[data-testid=widget-message][data-direction=outbound]");
        await Assertions.Expect(outbound).ToHaveCountAsync(1); // the assistant's greeting: the widget is connected
        var input = customer.GetByTestId("widget-input");
        await input.FillAsync("Hello from the browser");
        await customer.GetByTestId("widget-send").ClickAsync();

        await Assertions.Expect(customer.Locator("[data-testid=widget-message][data-direction=inbound]")).ToHaveTextAsync("Hello from the browser");
        await Assertions.Expect(outbound).ToHaveCountAsync(2); // greeting + reply
        var replyText = await outbound.Last.InnerTextAsync();
        output.WriteLine($"widget reply: {replyText}");
        await customer.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "saas-e2e-widget.png") });

        var agent = await browser.Instance.NewPageAsync();
        await agent.GotoAsync(new Uri(system.WebApp, "/conversations").ToString());
        await agent.GetByLabel("Email").FillAsync(system.Seed.AgentEmail);
        await agent.GetByLabel("Password").FillAsync(system.Seed.AgentPassword);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await agent.GetByTestId("conversation-link").First.ClickAsync();
        var messages = agent.GetByTestId("message");
        await Assertions.Expect(messages).ToHaveCountAsync(2);
        await Assertions.Expect(messages.First).ToContainTextAsync("Hello from the browser");
        await Assertions.Expect(messages.Last).ToContainTextAsync(replyText.Trim());

        // Live: the customer writes again; the agent's page shows it without a reload.
        var navigations = 0;
        agent.FrameNavigated += (_, frame) => { if (frame == agent.MainFrame) { navigations++; } };
        await input.FillAsync("Can I order a cake?");
        await customer.GetByTestId("widget-send").ClickAsync();
        await Assertions.Expect(messages).ToHaveCountAsync(4);
        await Assertions.Expect(agent.Locator("[data-testid=message][data-direction=inbound]").Last).ToContainTextAsync("Can I order a cake?");
        Assert.Equal(0, navigations);
        await agent.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "saas-e2e-webapp.png") });
    }
}
