using System.Diagnostics;
using System.Net;
using Rampart.Core.Access;
using Rampart.Testing;

namespace Rampart.Server.Tests.RedTeam;

/// <summary>
/// A revoked key stops working on every server sharing the store within 2 s (each server's key ring re-reads the
/// store when a key is presented and its copy is a second old), through the admin API or <c>rampart keys revoke</c>.
/// </summary>
public sealed class KeyRevocationTests
{
    private const string Leaked = "rpk_leaked-ingest-key-0123456789abcdef";

    [Fact]
    public async Task Revoke_OnOneServer_TheOtherServerRefusesTheKeyWithinTwoSeconds()
    {
        using var folder = new TempDirectory();
        await using var first = await TestHost.StartAsync(folder: folder, kestrel: true);
        await using var second = await TestHost.StartAsync(folder: folder, kestrel: true);
        await first.AddKeyAsync(Leaked, "leaked-app", KeyScope.Ingest);
        using var onFirst = first.Client(Leaked);
        using var onSecond = second.Client(Leaked);
        // A new key reaches the second server within a second too.
        await Eventually.TrueAsync(async () => (await onSecond.GetAsync("/api/me")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(2),
            () => Task.FromResult("the second server never accepted the new key"));

        using var revoked = await first.Admin.PostAsync("/api/keys/leaked-app/revoke", null);
        var clock = Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onFirst.GetAsync("/api/me")).StatusCode);
        await Eventually.TrueAsync(async () => (await onSecond.GetAsync("/api/me")).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(2),
            () => Task.FromResult($"the second server still accepts the revoked key after {clock.ElapsedMilliseconds} ms"));

        TestContext.Current.TestOutputHelper?.WriteLine($"refused by the second server {clock.ElapsedMilliseconds} ms after the revocation");
        Assert.Equal(HttpStatusCode.OK, (await second.Ingest.GetAsync("/api/me")).StatusCode); // other keys unaffected
    }

    [Fact]
    public async Task Revoke_UnknownName_Is404()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Admin.PostAsync("/api/keys/nobody/revoke", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nobody'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_TheOnlyAdminKey_Is409AndTheKeyStillWorks()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Admin.PostAsync("/api/keys/admin/revoke", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sut.Admin.GetAsync("/api/experiments")).StatusCode);
    }

    [Fact]
    public async Task Revoke_WithAnIngestKey_Is403()
    {
        await using var sut = await TestHost.StartAsync();

        using var response = await sut.Ingest.PostAsync("/api/keys/dashboard/revoke", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sut.Read.GetAsync("/api/me")).StatusCode);
    }
}
