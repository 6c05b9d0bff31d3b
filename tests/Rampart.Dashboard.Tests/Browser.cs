using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Rampart.Testing;

namespace Rampart.Dashboard.Tests;

/// <summary>
/// Debian's headless Chromium driven through its chromedriver (no browser download, no network). A missing browser fails
/// the test with how to install it: ./test installs both.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverFolder = "/usr/bin";
    public const string DriverName = "chromedriver";

    private readonly TempDirectory profile = new();

    public Browser(int width = 1400, int height = 1000)
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(Path.Combine(DriverFolder, DriverName)))
        {
            throw new InvalidOperationException(
                $"Chromium ({ChromiumPath}) and chromedriver ({DriverFolder}/{DriverName}) are needed by the dashboard tests: " +
                "run ./test, or apt-get install -y chromium chromium-driver.");
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--window-size={width},{height}",
            $"--user-data-dir={profile.Path}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(DriverFolder, DriverName);
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    /// <summary>Waits up to <paramref name="seconds"/> for <paramref name="condition"/> to return something other than null or false.</summary>
    public T Wait<T>(Func<IWebDriver, T> condition, int seconds = 15, string? what = null)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { Message = what ?? "the page" };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public IWebElement Find(string id) => Driver.FindElement(By.Id(id));

    /// <summary>Opens the dashboard and signs in with <paramref name="key"/> through the form.</summary>
    public void SignIn(Uri server, string key, string hash = "#/")
    {
        Driver.Navigate().GoToUrl(new Uri(server, "/" + hash));
        Wait(d => d.FindElement(By.Id("key")).Displayed, what: "the sign-in form");
        Find("key").SendKeys(key);
        Find("key").SendKeys(Keys.Enter);
        Wait(d => d.FindElement(By.Id("who")).Displayed, what: "the signed-in name");
    }

    /// <summary>The browser console's errors so far (a blocked script or style, a failed request, an exception).</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    /// <summary>Saves a screenshot of the page to TestResults/screenshots/<paramref name="name"/>.png at the repository's root.</summary>
    public string Screenshot(string name)
    {
        var folder = RepositoryPaths.File(Path.Combine("TestResults", "screenshots"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        profile.Dispose();
    }
}
