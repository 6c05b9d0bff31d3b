using System.Text.Json;
using OpenQA.Selenium;

namespace Rampart.Dashboard.Tests;

[Collection(SharedDashboardServer.Name)]
public sealed class ExperimentPageTests(DashboardServer server)
{
    private const string Page = $"#/experiments/{DashboardServer.Key}";
    private const string Score = "user_satisfaction";

    [Fact]
    public async Task ResultsTable_EveryNumber_EqualsTheResultsApi()
    {
        using var sut = new Browser(1400, 2150);
        sut.SignIn(server.Address, DashboardServer.AdminKey, Page);
        sut.Wait(d => d.FindElements(By.CssSelector("#results tbody tr")).Count == 3, what: "three result rows");
        sut.Wait(d => d.FindElement(By.Id("chart-diff-text")).GetAttribute("textContent")!.Contains("variant_a", StringComparison.Ordinal), what: "the charts");
        // After a refresh: the page redraws every 3 s, and what it shows must survive that.
        var updated = sut.Find("updated").Text;
        sut.Wait(d => d.FindElement(By.Id("updated")).Text != updated, what: "a refresh");
        Assert.True((bool)sut.Driver.ExecuteScript(
            "return ['chart-diff', 'chart-traffic', 'chart-latency', 'chart-cost'].every(id => Chart.getChart(id)?.data.datasets.some(d => d.data.some(p => p != null && (p.y ?? p) != null)))")!);
        sut.Screenshot("experiment-page");
        Assert.Empty(sut.ConsoleErrors()); // nothing blocked by the Content-Security-Policy, no script error

        // One snapshot of the table and the recommendation: the page redraws them every 3 s, and reading cell by cell
        // can straddle a redraw (a stale element on a loaded machine).
        var shown = (IReadOnlyDictionary<string, object>)sut.Driver.ExecuteScript("""
            const rows = {};
            for (const tr of document.querySelectorAll('#results tr[data-variant]')) {
              const cells = { row: tr.innerText.trim() };
              for (const td of tr.querySelectorAll('td[data-field]')) cells[td.dataset.field] = td.innerText.trim();
              rows[tr.dataset.variant] = cells;
            }
            return { rows,
                     action: document.querySelector("#recommendation [data-field='action']").innerText.trim(),
                     reasons: [...document.querySelectorAll('#recommendation ul.reasons li')].map(li => li.innerText.trim()),
                     details: [...document.querySelectorAll('#recommendation details li')].map(li => li.textContent.trim()),
                     stages: [...document.querySelectorAll('#srm-stages li')].map(li => li.innerText.trim()) };
            """)!;
        var shownRows = (IReadOnlyDictionary<string, object>)shown["rows"];

        var results = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}/results");
        var totalUnits = results.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("units").GetInt64());
        foreach (var variant in results.GetProperty("variants").EnumerateArray())
        {
            var name = variant.GetProperty("name").GetString()!;
            var row = (IReadOnlyDictionary<string, object>)shownRows[name];
            string Cell(string field) => (string)row[field];

            var traffic = PageText.Numbers(Cell("traffic"));
            var units = variant.GetProperty("units").GetInt64();
            Assert.Equal(units, (long)traffic[0]);
            PageText.Rounded(100.0 * units / totalUnits, traffic[1], 1, $"{name} traffic share");
            Assert.Equal(results.GetProperty("srm").GetProperty("expected_weights").GetProperty(name).GetDouble(), traffic[2]);

            PageText.Rounded(variant.GetProperty("scores").GetProperty(Score).GetProperty("mean").GetDouble(), PageText.Numbers(Cell("score"))[0], 3, $"{name} {Score}");
            Assert.Equal(variant.GetProperty("scores").GetProperty(Score).GetProperty("n").GetInt64(), (long)PageText.Numbers(Cell("score"))[1]);
            var latency = PageText.Numbers(Cell("latency"));
            PageText.Rounded(variant.GetProperty("latency_ms").GetProperty("p50").GetDouble(), latency[0], 0, $"{name} p50");
            PageText.Rounded(variant.GetProperty("latency_ms").GetProperty("p95").GetDouble(), latency[1], 0, $"{name} p95");
            PageText.Rounded(variant.GetProperty("cost_usd").GetProperty("mean").GetDouble(), PageText.Numbers(Cell("cost"))[0], 5, $"{name} cost per query");
            PageText.Rounded(100 * variant.GetProperty("error_rate").GetDouble(), PageText.Numbers(Cell("error_rate"))[0], 2, $"{name} error rate");

            if (!variant.TryGetProperty("vs_control", out var vs) || vs.ValueKind == JsonValueKind.Null)
            {
                Assert.Equal("", Cell("p_value"));
                Assert.DoesNotContain("⬆", Cell("row"), StringComparison.Ordinal);
                continue;
            }

            AssertMarks(Cell("score"), vs.GetProperty(Score), name);
            AssertMarks(Cell("latency"), vs.GetProperty("latency_ms"), name);
            AssertMarks(Cell("cost"), vs.GetProperty("cost_usd"), name);
            AssertMarks(Cell("error_rate"), vs.GetProperty("error_rate"), name);
            var clustered = vs.GetProperty(Score).GetProperty("p_value_clustered_holm");
            var shownP = Cell("p_value");
            if (clustered.ValueKind == JsonValueKind.Null)
            {
                Assert.Equal("-", shownP); // fewer than 50 units with feedback in a variant: no clustered p-value
                continue;
            }

            var p = clustered.GetDouble();
            if (p < 0.0001)
            {
                Assert.StartsWith("< 0.0001", shownP, StringComparison.Ordinal);
            }
            else
            {
                PageText.Rounded(p, PageText.Numbers(shownP)[0], 4, $"{name} p-value");
            }
        }

        var recommendation = results.GetProperty("recommendation");
        var action = recommendation.GetProperty("action").GetString()!;
        var shownAction = (string)shown["action"];
        Assert.StartsWith(action == "rollback" ? "ROLL BACK" : action.ToUpperInvariant(), shownAction, StringComparison.Ordinal);
        var reasons = ((IEnumerable<object>)shown["reasons"]).Cast<string>().ToList();
        Assert.Equal(recommendation.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList(), reasons);
        Assert.InRange(reasons.Count, 1, 4);
        var details = ((IEnumerable<object>)shown["details"]).Cast<string>().ToList();
        Assert.Equal(recommendation.GetProperty("details").EnumerateArray().Select(r => r.GetString()!).ToList(), details);

        // The experiment was advanced once: the split is tested per stage, one line each (the second stage untested once the
        // monitor has rolled variant_b back in it).
        var stages = results.GetProperty("srm").GetProperty("stages");
        Assert.Equal(2, stages.GetArrayLength());
        Assert.Equal(
            stages.EnumerateArray().Select(s => $"stage {s.GetProperty("stage").GetInt32()}: ").ToList(),
            ((IEnumerable<object>)shown["stages"]).Cast<string>().Select(s => s[..9]).ToList());
    }

    [Fact]
    public async Task Controls_AdvanceDialogShowsTheNextWeights_PromotePickerDefaultsToTheRecommendedVariant()
    {
        using var sut = new Browser();
        sut.SignIn(server.Address, DashboardServer.AdminKey, $"#/experiments/{DashboardServer.ControlsKey}");
        sut.Wait(d => d.FindElement(By.Id("controls-admin")).Displayed, what: "the admin controls");
        sut.Wait(d => d.FindElements(By.CssSelector("#promote-variant option")).Count > 0, what: "the promote picker");
        var experiment = await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}");
        var results = await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}/results");
        var rolledBack = experiment.GetProperty("rolled_back").EnumerateObject().Select(p => p.Name).ToHashSet();

        var recommendation = results.GetProperty("recommendation");
        var expected = recommendation.GetProperty("action").GetString() == "promote" && recommendation.GetProperty("outcome").ValueKind == JsonValueKind.Null
            ? recommendation.GetProperty("variant").GetString()
            : new[] { "variant_a", "variant_b" }.First(v => !rolledBack.Contains(v));
        sut.Wait(d => (string?)((IJavaScriptExecutor)d).ExecuteScript("return document.getElementById('promote-variant').value") == expected, what: $"the picker on {expected}");

        if (experiment.GetProperty("stage").GetInt32() == 0 && experiment.GetProperty("state").GetString() == "running")
        {
            // The second stage plans 40/30/30; a rolled-back variant's share goes to the control.
            var weights = new Dictionary<string, double> { ["control"] = 40, ["variant_a"] = 30, ["variant_b"] = 30 };
            foreach (var variant in rolledBack)
            {
                weights["control"] += weights[variant];
                weights[variant] = 0;
            }

            sut.Driver.FindElement(By.CssSelector("#controls-admin [data-command='advance']")).Click();
            sut.Wait(d => d.FindElement(By.Id("confirm")).Displayed, what: "the confirmation dialog");
            Assert.Equal(
                $"Advance '{DashboardServer.ControlsKey}' to stage 2 of 2? It will serve control {weights["control"]}%, variant_a {weights["variant_a"]}%, variant_b {weights["variant_b"]}%.",
                sut.Find("confirm-text").Text);
            sut.Find("confirm-cancel").Click();
        }
    }

    [Fact]
    public async Task Rollback_ThroughThePage_ChangesTheStateAndAddsAnAuditEntry()
    {
        using var sut = new Browser();
        sut.SignIn(server.Address, DashboardServer.AdminKey, $"#/experiments/{DashboardServer.ControlsKey}");
        sut.Wait(d => d.FindElement(By.Id("controls-admin")).Displayed, what: "the admin controls");
        var before = await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}/audit");

        // Every variant but the control may be rolled back.
        sut.Wait(d => d.FindElements(By.CssSelector("#rollback-variant option")).Select(o => o.GetAttribute("value")).SequenceEqual(["variant_a", "variant_b"]), what: "the rollback list");
        sut.Driver.FindElement(By.CssSelector("#rollback-variant option[value='variant_a']")).Click();
        sut.Find("rollback-reason").SendKeys("latency p95 up 15% in the dashboard test");
        sut.Driver.FindElement(By.CssSelector("#rollback-form button[type=submit]")).Click();
        sut.Wait(d => d.FindElement(By.Id("confirm")).Displayed, what: "the confirmation dialog");
        Assert.Contains("variant_a", sut.Find("confirm-text").Text, StringComparison.Ordinal);
        sut.Find("confirm-ok").Click();

        var status = sut.Wait(d => d.FindElement(By.Id("command-status")).Text is { Length: > 0 } t ? t : null, what: "the command's outcome");
        Assert.Contains("rollback variant_a by admin: latency p95 up 15% in the dashboard test", status, StringComparison.Ordinal);
        sut.Wait(d => d.FindElement(By.CssSelector("#audit tbody tr")).Text.Contains("rollback", StringComparison.Ordinal), what: "the rollback in the audit trail");
        sut.Screenshot("after-rollback");

        var experiment = await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}");
        Assert.Equal("latency p95 up 15% in the dashboard test", experiment.GetProperty("rolled_back").GetProperty("variant_a").GetString());
        Assert.Equal(0, experiment.GetProperty("weights").GetProperty("variant_a").GetDouble());
        var after = await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}/audit");
        Assert.Equal(before.GetArrayLength() + 1, after.GetArrayLength());
        var entry = after[after.GetArrayLength() - 1];
        Assert.Equal("rollback", entry.GetProperty("action").GetString());
        Assert.Equal("variant_a", entry.GetProperty("variant").GetString());
        Assert.Equal("admin", entry.GetProperty("who").GetString());
    }

    [Fact]
    public async Task ReadKey_SeesNoControls_AndTheServerRefusesEveryChange()
    {
        using var sut = new Browser();
        sut.SignIn(server.Address, DashboardServer.ReadKey, Page);
        sut.Wait(d => d.FindElement(By.Id("controls-readonly")).Displayed, what: "the read-only note");
        sut.Wait(d => d.FindElements(By.CssSelector("#results tbody tr")).Count == 3, what: "the results");
        Assert.False(sut.Find("controls-admin").Displayed);
        Assert.DoesNotContain(sut.Driver.FindElements(By.CssSelector("button[data-command]")), b => b.Displayed);
        var before = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}");
        var auditBefore = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}/audit");

        // What a crafty user could do from the page: call the control plane with the session's key.
        var statuses = (IReadOnlyCollection<object>?)sut.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            const key = sessionStorage.getItem('rampart.key');
            const call = (path, method, body) => fetch('/api/experiments/dashboard-test/' + path, {
              method, headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(r => r.status);
            Promise.all([call('pause', 'POST', {}), call('advance', 'POST', {}), call('rollback', 'POST', { variant: 'variant_a', reason: 'x' }),
                         call('promote', 'POST', { variant: 'variant_a' }), call('stage', 'PUT', { weights: { control: 100, variant_a: 0, variant_b: 0 } })]).then(done);
            """);
        Assert.NotNull(statuses);
        Assert.Equal(5, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(403L, Convert.ToInt64(s, System.Globalization.CultureInfo.InvariantCulture)));

        var after = await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}");
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
        Assert.Equal(auditBefore.GetArrayLength(), (await server.GetJsonAsync($"/api/experiments/{DashboardServer.Key}/audit")).GetArrayLength());
        sut.Screenshot("read-key");
    }

    // ⬆/⬇ follow the sign of the difference; ✓ marks p_value_clustered_holm < 0.05 (the experiment's alpha), as `rampart results` does.
    private static void AssertMarks(string cell, JsonElement comparison, string variant)
    {
        var diff = comparison.GetProperty("diff");
        if (diff.ValueKind == JsonValueKind.Null)
        {
            Assert.DoesNotContain("⬆", cell, StringComparison.Ordinal);
            Assert.DoesNotContain("⬇", cell, StringComparison.Ordinal);
            return;
        }

        var d = diff.GetDouble();
        Assert.Contains(d > 0 ? "⬆" : d < 0 ? "⬇" : "=", cell, StringComparison.Ordinal);
        var p = comparison.GetProperty("p_value_clustered_holm");
        var significant = p.ValueKind == JsonValueKind.Number && p.GetDouble() < 0.05;
        Assert.True(significant == cell.Contains('✓', StringComparison.Ordinal), $"{variant}: '{cell}' and p_value_clustered_holm {p}.");
    }
}
