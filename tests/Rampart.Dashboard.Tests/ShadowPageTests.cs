using System.Globalization;
using OpenQA.Selenium;

namespace Rampart.Dashboard.Tests;

[Collection(SharedDashboardServer.Name)]
public sealed class ShadowPageTests(DashboardServer server)
{
    private const string Page = $"#/experiments/{DashboardServer.ShadowKey}";

    [Fact]
    public async Task Shadow_PairedRow_ShowsWhatTheResultsApiSays()
    {
        using var sut = new Browser(1400, 2600);
        sut.SignIn(server.Address, DashboardServer.AdminKey, Page);
        sut.Wait(d => d.FindElements(By.CssSelector("#shadow tbody tr[data-variant='variant_a']")).Count == 1, what: "the shadow variant's row");
        sut.Screenshot("experiment-shadow");
        var shown = (IReadOnlyDictionary<string, object>)sut.Driver.ExecuteScript("""
            const row = document.querySelector("#shadow tr[data-variant='variant_a']");
            const cells = { hidden: document.getElementById('shadow-section').hidden };
            for (const td of row.querySelectorAll('td[data-field]')) cells[td.dataset.field] = td.innerText.trim();
            return cells;
            """)!;

        var results = await server.GetJsonAsync($"/api/experiments/{DashboardServer.ShadowKey}/results");
        var variant = results.GetProperty("shadow").GetProperty("variants")[0];
        var errors = variant.GetProperty("errors");
        Assert.False((bool)shown["hidden"]);
        Assert.Equal(DashboardServer.ShadowPairs.ToString(CultureInfo.InvariantCulture), shown["pairs"]);
        Assert.StartsWith($"b {errors.GetProperty("shadow_only").GetInt64()} / c {errors.GetProperty("control_only").GetInt64()}", (string)shown["errors"], StringComparison.Ordinal);
        var ratio = variant.GetProperty("latency_ms").GetProperty("geometric_mean_ratio").GetDouble().ToString("0.000", CultureInfo.InvariantCulture);
        Assert.StartsWith(ratio, (string)shown["latency"], StringComparison.Ordinal);
        var judge = variant.GetProperty("judges").GetProperty("judge_helpfulness");
        Assert.Contains($"judge_helpfulness +0.125 (n {judge.GetProperty("n").GetInt64()})", (string)shown["judges"], StringComparison.Ordinal);
        Assert.Empty(sut.ConsoleErrors());
    }

    [Fact]
    public void Shadow_ExperimentWithoutShadowEvents_SectionHidden()
    {
        using var sut = new Browser(1400, 2600);
        sut.SignIn(server.Address, DashboardServer.AdminKey, $"#/experiments/{DashboardServer.Key}");
        sut.Wait(d => d.FindElements(By.CssSelector("#judges tbody tr[data-judge='helpfulness']")).Count == 1, what: "the page");

        Assert.False(sut.Driver.FindElement(By.Id("shadow-section")).Displayed);
    }
}
