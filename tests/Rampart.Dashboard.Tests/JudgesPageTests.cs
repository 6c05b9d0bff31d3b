using System.Globalization;
using OpenQA.Selenium;

namespace Rampart.Dashboard.Tests;

[Collection(SharedDashboardServer.Name)]
public sealed class JudgesPageTests(DashboardServer server)
{
    private const string Page = $"#/experiments/{DashboardServer.Key}";

    [Fact]
    public async Task Judges_RowAndChart_ShowWhatTheResultsApiSays()
    {
        using var sut = new Browser(1400, 2600);
        sut.SignIn(server.Address, DashboardServer.AdminKey, Page);
        sut.Wait(d => d.FindElements(By.CssSelector("#judges tbody tr[data-judge='helpfulness']")).Count == 1, what: "the judge's row");
        sut.Wait(d => (bool)((IJavaScriptExecutor)d).ExecuteScript(
            "return !!Chart.getChart('chart-judge-judge_helpfulness')?.data.datasets.some(d => d.data.some(p => p != null && p.y != null))")!,
            what: "the judge's chart");
        var shown = (IReadOnlyDictionary<string, object>)sut.Driver.ExecuteScript("""
            const row = document.querySelector("#judges tr[data-judge='helpfulness']");
            const cells = {};
            for (const td of row.querySelectorAll('td[data-field]')) cells[td.dataset.field] = td.innerText.trim();
            cells.chart = document.getElementById('chart-judge-judge_helpfulness-text').textContent;
            return cells;
            """)!;

        var results = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}/results");
        var judge = results.GetProperty("judges")[0];
        Assert.Equal("judge_helpfulness", judge.GetProperty("score").GetString());
        foreach (var variant in judge.GetProperty("variants").EnumerateObject())
        {
            var mean = variant.Value.GetProperty("mean").GetDouble().ToString("0.000", CultureInfo.InvariantCulture);
            var n = variant.Value.GetProperty("n").GetInt64().ToString("N0", CultureInfo.InvariantCulture);
            Assert.Contains($"{variant.Name} {mean} (n {n})", (string)shown["scores"], StringComparison.Ordinal);
            var cost = variant.Value.GetProperty("cost_usd").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture);
            Assert.Contains($"{variant.Name} ${cost}", (string)shown["cost"], StringComparison.Ordinal);
        }

        var calibration = judge.GetProperty("calibration");
        Assert.Contains($"n {calibration.GetProperty("n").GetInt64().ToString("N0", CultureInfo.InvariantCulture)}", (string)shown["calibration"], StringComparison.Ordinal);
        // variant_b answers at quality 0.6 against the control's 0.8: the chart's summary names its difference.
        Assert.Contains("variant_b: -0.", (string)shown["chart"], StringComparison.Ordinal);
        Assert.StartsWith("judge_helpfulness difference against control", (string)shown["chart"], StringComparison.Ordinal);
        Assert.Empty(sut.ConsoleErrors());
    }
}
