using OpenQA.Selenium;

namespace Rampart.Dashboard.Tests;

[Collection(SharedDashboardServer.Name)]
public sealed class SegmentsPageTests(DashboardServer server)
{
    private const string Page = $"#/experiments/{DashboardServer.SegmentsKey}";

    [Fact]
    public async Task Segments_PickingAnAttribute_ShowsTheSegmentTableTheApiServes()
    {
        using var sut = new Browser(1400, 2600);
        sut.SignIn(server.Address, DashboardServer.ReadKey, Page);
        sut.Wait(d => d.FindElement(By.Id("segments-section")).Displayed, what: "the Segments picker");
        var options = sut.Find("segment-by").FindElements(By.TagName("option"));
        Assert.Equal(["Whole experiment", "country", "plan"], options.Select(o => o.Text));

        sut.Find("segment-by").Click();
        options.Single(o => o.GetAttribute("value") == "country").Click();
        sut.Wait(d => d.FindElements(By.CssSelector("#segments tbody tr[data-segment='FR'][data-variant='variant_a']")).Count == 1, what: "the FR segment's rows");
        sut.Screenshot("experiment-segments");
        var shown = (IReadOnlyDictionary<string, object>)sut.Driver.ExecuteScript("""
            const row = document.querySelector("#segments tr[data-segment='FR'][data-variant='variant_a']");
            const cells = {};
            for (const td of row.querySelectorAll('td[data-field]')) cells[td.dataset.field] = td.innerText.trim();
            cells.segments = [...new Set([...document.querySelectorAll('#segments tbody tr')].map(r => r.dataset.segment))].join();
            cells.other = document.querySelector("#segments tr[data-segment='other'] th").innerText.trim();
            cells.frUnits = document.querySelector("#segments tr[data-segment='FR'][data-variant='control'] td[data-field='units']").innerText.trim();
            return cells;
            """)!;

        var results = await server.GetJsonAsync($"/api/experiments/{DashboardServer.SegmentsKey}/results?by=country");
        var fr = results.GetProperty("segments")[0].GetProperty("variants")[1];
        Assert.Equal("FR,other", shown["segments"]);
        Assert.Equal("other (US)", shown["other"]);
        Assert.Equal("260", shown["frUnits"]);
        Assert.Equal("+" + fr.GetProperty("diff").GetDouble().ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), shown["diff"]);
        Assert.Equal("better", shown["flags"]);
        Assert.Empty(sut.ConsoleErrors());
    }

    [Fact]
    public void Segments_ExperimentWithoutStoredAttributes_SectionHidden()
    {
        using var sut = new Browser(1400, 2600);
        sut.SignIn(server.Address, DashboardServer.AdminKey, $"#/experiments/{DashboardServer.ShadowKey}");
        sut.Wait(d => d.FindElements(By.CssSelector("#shadow tbody tr[data-variant='variant_a']")).Count == 1, what: "the page");

        Assert.False(sut.Driver.FindElement(By.Id("segments-section")).Displayed);
    }
}
