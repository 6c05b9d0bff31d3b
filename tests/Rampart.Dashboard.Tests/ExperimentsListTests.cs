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
        var rowSelector = $"#experiments tr[data-key='{DashboardServer.Key}']";
        sut.Wait(d => d.FindElement(By.CssSelector(rowSelector)), what: "the experiment's row");
        sut.Screenshot("experiments-list");

        // The row's cells in one snapshot: the list is redrawn every 3 s, and reading cell by cell can straddle a redraw.
        var cells = ((IEnumerable<object>)sut.Driver.ExecuteScript(
            "return [...document.querySelector(arguments[0]).querySelectorAll('td')].map(td => td.innerText.trim());", rowSelector)!)
            .Cast<string>().ToList();
        var experiment = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}");
        var audit = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}/audit");
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

        sut.Driver.FindElement(By.CssSelector($"{rowSelector} a")).SendKeys(Keys.Enter);
        sut.Wait(d => d.FindElement(By.Id("experiment-title")).Text == "Dashboard test", what: "the experiment page by keyboard");
    }
}
