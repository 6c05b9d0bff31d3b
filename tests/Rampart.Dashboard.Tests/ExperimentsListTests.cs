using System.Globalization;
using OpenQA.Selenium;

namespace Rampart.Dashboard.Tests;

[Collection(SharedDashboardServer.Name)]
public sealed class ExperimentsListTests(DashboardServer server)
{
    [Fact]
    public async Task List_ShowsStateStageSplitHealthAndLastChange_AsTheApiSays()
    {
        using var sut = new Browser();
        sut.SignIn(server.Address, DashboardServer.ReadKey);
        var row = sut.Wait(d => d.FindElement(By.CssSelector($"#experiments tr[data-key='{DashboardServer.Key}']")), what: "the experiment's row");
        sut.Screenshot("experiments-list");

        var experiment = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}");
        var audit = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}/audit");
        var cells = row.FindElements(By.TagName("td")).Select(c => c.Text).ToList();
        Assert.Equal(experiment.GetProperty("state").GetString(), cells[1]);
        Assert.StartsWith($"{experiment.GetProperty("stage").GetInt32() + 1} of 2", cells[2], StringComparison.Ordinal);
        var split = string.Join(" · ", experiment.GetProperty("weights").EnumerateObject()
            .Select(w => $"{w.Name} {w.Value.GetDouble().ToString(CultureInfo.InvariantCulture)}%"));
        Assert.Equal(split, cells[3]);
        Assert.Contains("SRM:", cells[4], StringComparison.Ordinal);
        Assert.Contains("guardrail", cells[4], StringComparison.Ordinal);
        foreach (var rolledBack in experiment.GetProperty("rolled_back").EnumerateObject())
        {
            Assert.Contains($"rolled back: {rolledBack.Name}", cells[4], StringComparison.Ordinal);
        }

        var last = audit[audit.GetArrayLength() - 1];
        Assert.Contains($"{last.GetProperty("action").GetString()}", cells[5], StringComparison.Ordinal);
        Assert.Contains($"by {last.GetProperty("who").GetString()}", cells[5], StringComparison.Ordinal);

        row.FindElement(By.TagName("a")).SendKeys(Keys.Enter);
        sut.Wait(d => d.FindElement(By.Id("experiment-title")).Text == "Dashboard test", what: "the experiment page by keyboard");
    }
}
