using System.Text.Json;
using Rampart.Core.Events;
using Rampart.Storage.Sqlite;

namespace Rampart.Cli.Tests.Commands;

public sealed class EventsCommandTests
{
    [Fact]
    public async Task Quarantined_TwoStoredAndLimitOne_ListsTheFirstWithTheNextPosition()
    {
        using var cli = new CliHarness();
        var store = new SqliteQuarantineStore(new SqliteDatabase(cli.Db));
        foreach (var position in new[] { 7L, 9L })
        {
            await store.AddAsync(new QuarantinedEvent(position, "exp", $"id-{position}", """{"type":"completion","latency_ms":1e200}""",
                "'latency_ms' must be a number of milliseconds in [0, 86400000], not 1E+200. The event was set aside and counts in no result.", DateTimeOffset.UnixEpoch));
        }

        var json = await cli.RunOkAsync("events", "quarantined", "--limit", "1", "--format", "json");
        var table = await cli.RunOkAsync("events", "quarantined", "--after", "7");

        var page = JsonDocument.Parse(json.Stdout).RootElement;
        var listed = Assert.Single(page.GetProperty("events").EnumerateArray());
        Assert.Equal(("id-7", 7L), (listed.GetProperty("event_id").GetString(), page.GetProperty("next_after").GetInt64()));
        Assert.Equal(1e200, listed.GetProperty("event").GetProperty("latency_ms").GetDouble());
        Assert.Contains("id-9", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("id-7", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quarantined_LimitOutOfRange_FailsNamingTheOption()
    {
        using var cli = new CliHarness();

        var result = await cli.RunAsync("events", "quarantined", "--limit", "0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--limit", result.Stderr, StringComparison.Ordinal);
    }
}
