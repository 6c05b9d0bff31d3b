using System.Net;
using OpenQA.Selenium;

namespace Rampart.Dashboard.Tests;

[Collection(SharedDashboardServer.Name)]
public sealed class SignInTests(DashboardServer server)
{
    [Fact]
    public void SignIn_KeepsTheKeyInSessionStorageOnly_NeverInTheUrl()
    {
        using var sut = new Browser();

        sut.SignIn(server.Address, DashboardServer.ReadKey);

        Assert.Equal("Signed in as dashboard (read)", sut.Find("who").Text);
        Assert.Equal(DashboardServer.ReadKey, sut.Driver.ExecuteScript("return sessionStorage.getItem('rampart.key')"));
        Assert.Equal(0L, sut.Driver.ExecuteScript("return localStorage.length"));
        Assert.Empty(sut.Driver.Manage().Cookies.AllCookies);
        Assert.DoesNotContain(DashboardServer.ReadKey, sut.Driver.Url, StringComparison.Ordinal);
        Assert.Equal("", sut.Find("key").GetAttribute("value"));
    }

    [Fact]
    public void SignIn_WrongKey_SaysSoAndShowsNoData()
    {
        using var sut = new Browser();
        sut.Driver.Navigate().GoToUrl(server.Address);
        sut.Wait(d => d.FindElement(By.Id("key")).Displayed);

        sut.Find("key").SendKeys("rpk_not-a-key");
        sut.Find("key").SendKeys(Keys.Enter);

        sut.Wait(d => d.FindElement(By.Id("sign-in-error")).Text == "That key is not valid.", what: "the sign-in error");
        Assert.False(sut.Find("list").Displayed);
        Assert.Null(sut.Driver.ExecuteScript("return sessionStorage.getItem('rampart.key')"));
    }

    [Fact]
    public async Task PageShell_IsPublic_DataNeedsAKey()
    {
        using var anonymous = new HttpClient { BaseAddress = server.Address };

        using var page = await anonymous.GetAsync("/");
        using var script = await anonymous.GetAsync("/dashboard/vendor/chart.umd.min.js");
        using var data = await anonymous.GetAsync($"/api/experiments/{DashboardServer.Key}/results");
        using var missing = await anonymous.GetAsync("/dashboard/nothing.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
