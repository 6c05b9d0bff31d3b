using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Rampart.Dashboard.Tests;

[Collection(SharedDashboardServer.Name)]
public sealed class AccessibilityTests(DashboardServer server)
{
    private const string Page = $"#/experiments/{DashboardServer.Key}";

    // WCAG 2 contrast of every visible text against the first opaque background behind it; disabled controls are exempt.
    private const string ContrastScript = """
        const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        const luminance = c => { const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(channel); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const background = el => {
          for (; el; el = el.parentElement) {
            const c = getComputedStyle(el).backgroundColor, m = c.match(/[\d.]+/g);
            if (m && (m.length < 4 || Number(m[3]) > 0)) return c;
          }
          return 'rgb(255, 255, 255)';
        };
        const low = [];
        let checkedTexts = 0;
        for (const el of document.querySelectorAll('body *')) {
          if (el.closest('[hidden], .visually-hidden') || el.disabled || el.getClientRects().length === 0) continue;
          const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
          if (!text) continue;
          checkedTexts++;
          const a = luminance(getComputedStyle(el).color), b = luminance(background(el));
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (ratio < 4.5) low.push(`${el.tagName.toLowerCase()}#${el.id} '${text.slice(0, 40)}': ${ratio.toFixed(2)}`);
        }
        return { checked: checkedTexts, low };
        """;

    [Fact]
    public void EveryVisibleText_HasAContrastOfAtLeast4_5()
    {
        using var sut = new Browser();
        sut.SignIn(server.Address, DashboardServer.AdminKey, Page);
        sut.Wait(d => d.FindElements(By.CssSelector("#results tbody tr")).Count == 3, what: "the results");
        sut.Wait(d => d.FindElements(By.CssSelector("#audit tbody tr")).Count > 0, what: "the audit trail");

        var outcome = (IDictionary<string, object>?)sut.Driver.ExecuteScript(ContrastScript);

        Assert.NotNull(outcome);
        Assert.True(Convert.ToInt64(outcome["checked"], System.Globalization.CultureInfo.InvariantCulture) > 50, "too few texts checked: the check itself is broken");
        Assert.Empty((IReadOnlyCollection<object>)outcome["low"]);
    }

    [Fact]
    public void EveryFormControl_HasALabel()
    {
        using var sut = new Browser();
        sut.SignIn(server.Address, DashboardServer.AdminKey, Page);
        sut.Wait(d => d.FindElements(By.CssSelector("#stage-weights input")).Count == 3, what: "the weight inputs");

        var unlabelled = (IReadOnlyCollection<object>?)sut.Driver.ExecuteScript("""
            return [...document.querySelectorAll('input, select, textarea')]
              .filter(c => c.labels.length === 0 && !c.getAttribute('aria-label')).map(c => c.id || c.name);
            """);

        Assert.NotNull(unlabelled);
        Assert.Empty(unlabelled);
    }

    [Fact]
    public async Task Pause_ByKeyboardAlone_AsksFirst_EscapeCancels_ConfirmPauses()
    {
        using var sut = new Browser();
        sut.SignIn(server.Address, DashboardServer.AdminKey, $"#/experiments/{DashboardServer.ControlsKey}");
        var pause = sut.Wait(d => d.FindElement(By.CssSelector("button[data-command='pause']")) is { Enabled: true } b ? b : null, what: "an enabled Pause")!;
        var before = await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}");

        TabTo(sut, pause);
        Keyboard(sut, Keys.Enter);
        sut.Wait(d => d.FindElement(By.Id("confirm")).Displayed, what: "the confirmation");
        Assert.Equal("confirm-cancel", sut.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
        Keyboard(sut, Keys.Escape);
        sut.Wait(d => !d.FindElement(By.Id("confirm")).Displayed, what: "the dialog to close");
        Assert.Equal(before.GetProperty("version").GetInt64(), (await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}")).GetProperty("version").GetInt64());

        TabTo(sut, pause);
        Keyboard(sut, Keys.Enter);
        sut.Wait(d => d.FindElement(By.Id("confirm")).Displayed, what: "the confirmation again");
        Keyboard(sut, Keys.Tab);
        Assert.Equal("confirm-ok", sut.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
        Keyboard(sut, Keys.Enter);
        sut.Wait(d => d.FindElement(By.Id("command-status")).Text.Contains("pause", StringComparison.Ordinal), what: "the pause's audit entry");
        Assert.Equal("paused", (await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}")).GetProperty("state").GetString());

        // Resume, by keyboard too, so the other tests find it running.
        var start = sut.Wait(d => d.FindElement(By.CssSelector("button[data-command='start']")) is { Enabled: true } b ? b : null, what: "an enabled Start")!;
        TabTo(sut, start);
        Keyboard(sut, Keys.Enter);
        sut.Wait(d => d.FindElement(By.Id("confirm")).Displayed);
        Keyboard(sut, Keys.Tab);
        Keyboard(sut, Keys.Enter);
        sut.Wait(d => d.FindElement(By.Id("command-status")).Text.Contains("start", StringComparison.Ordinal), what: "the start's audit entry");
        Assert.Equal("running", (await server.GetJsonAsync($"/api/experiments/{DashboardServer.ControlsKey}")).GetProperty("state").GetString());
    }

    private static void Keyboard(Browser sut, string keys) => new Actions(sut.Driver).SendKeys(keys).Perform();

    // Presses Tab from the top of the page until the element has the focus: it is reachable by keyboard.
    private static void TabTo(Browser sut, IWebElement target)
    {
        sut.Driver.ExecuteScript("document.activeElement?.blur(); window.scrollTo(0, 0);");
        for (var i = 0; i < 40; i++)
        {
            Keyboard(sut, Keys.Tab);
            if (sut.Driver.SwitchTo().ActiveElement().Equals(target))
            {
                return;
            }
        }

        Assert.Fail($"'{target.Text}' was not reached by 40 presses of Tab.");
    }
}
