using System.Security.Cryptography;
using System.Text;
using Rampart.Core.Access;
using Rampart.Storage.Sqlite;

namespace Rampart.Cli.Tests.Commands;

public sealed class KeysCommandTests
{
    [Fact]
    public async Task Create_NewName_PrintsTheKeyOnceAndStoresOnlyItsHash()
    {
        using var sut = new CliHarness();

        var result = await sut.RunOkAsync("keys", "create", "--scope", "ingest", "--name", "checkout-app");

        var key = result.Stdout.Trim();
        Assert.StartsWith(AccessKeys.Prefix, key, StringComparison.Ordinal);
        Assert.Contains("shown once", result.Stderr, StringComparison.Ordinal);
        var stored = Assert.Single(await new SqliteKeyStore(new SqliteDatabase(sut.Db)).ListAsync());
        Assert.Equal(("checkout-app", KeyScope.Ingest), (stored.Name, stored.Scope));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), stored.Hash.ToArray());
    }

    [Fact]
    public async Task Create_TakenName_FailsNamingIt()
    {
        using var sut = new CliHarness();
        await sut.RunOkAsync("keys", "create", "--scope", "read", "--name", "dash");

        var result = await sut.RunAsync("keys", "create", "--scope", "read", "--name", "dash");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains("'dash' already exists", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownScope_FailsNamingTheOption()
    {
        using var sut = new CliHarness();

        var result = await sut.RunAsync("keys", "create", "--scope", "root", "--name", "x");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains("--scope 'root'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ExistingName_DeletesOnlyThatKey()
    {
        using var sut = new CliHarness();
        await sut.RunOkAsync("keys", "create", "--scope", "ingest", "--name", "checkout-app");
        await sut.RunOkAsync("keys", "create", "--scope", "read", "--name", "dash");

        var result = await sut.RunOkAsync("keys", "revoke", "--name", "checkout-app");

        Assert.Contains("revoked key 'checkout-app'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["dash"], (await new SqliteKeyStore(new SqliteDatabase(sut.Db)).ListAsync()).Select(k => k.Name));
    }

    [Fact]
    public async Task Revoke_UnknownName_FailsNamingIt()
    {
        using var sut = new CliHarness();

        var result = await sut.RunAsync("keys", "revoke", "--name", "nobody");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains("--name 'nobody'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_OnlyAdminKey_IsRefused()
    {
        using var sut = new CliHarness();
        await sut.RunOkAsync("keys", "create", "--scope", "admin", "--name", "root");

        var result = await sut.RunAsync("keys", "revoke", "--name", "root");

        Assert.Equal(CliApp.UserError, result.ExitCode);
        Assert.Contains("only admin key", result.Stderr, StringComparison.Ordinal);
        Assert.Single(await new SqliteKeyStore(new SqliteDatabase(sut.Db)).ListAsync());
    }
}
