using Rampart.Core.Events;
using Rampart.Storage.Postgres;
using Rampart.Storage.Tests.Contracts;
using Rampart.Testing;

namespace Rampart.Storage.Tests.Postgres;

public sealed class PostgresEventStoreTests : EventStoreContract, IDisposable
{
    private readonly TestPostgres postgres = new();

    // Each store gets its own database (its own connection pool), as another server would.
    protected override IEventStore CreateStore() => new PostgresEventStore(Database());

    public void Dispose() => postgres.Dispose();

    private PostgresDatabase Database() => postgres.Own(new PostgresDatabase(postgres.ConnectionString));

    [Fact]
    public async Task AppendAsync_TextWithNul_StoresTheBatchWithReplacementCharacters()
    {
        var sut = CreateStore();
        var e = TestEvents.Completion("u\0nit", "id\0x") with { Output = "a\0b" };

        var first = await sut.AppendAsync([e, TestEvents.Exposure("user-2", "e-2")], TestContext.Current.CancellationToken);
        var again = await sut.AppendAsync([e], TestContext.Current.CancellationToken);

        Assert.Equal(((2, 0), (0, 1)), (Counts(first), Counts(again)));
        Assert.Equal(e with { Unit = "u\uFFFDnit", Id = "id\uFFFDx", Output = "a\uFFFDb" }, Assert.Single(await ReadAllAsync(sut, "prompt-opt-v2"), r => r.Type == Core.Events.EventType.Completion));
    }

    // The COPY rows are encoded by hand (PostgresCopyEncoder): the values at the edges of its encodings come back as given
    // (timestamps to the microsecond, as timestamptz keeps them).
    [Fact]
    public async Task AppendAsync_ValuesAtTheEdgesOfTheCopyEncoding_ReadBackAsGiven()
    {
        var sut = CreateStore();
        var longText = string.Concat(Enumerable.Repeat("ü€𝄞x", 60_000));
        var events = new[]
        {
            TestEvents.Completion("u-1", "e-1") with { Ts = new DateTimeOffset(1999, 12, 31, 23, 59, 59, 123, 456, TimeSpan.Zero), Output = longText, Stage = -7, LatencyMs = double.Epsilon, PromptTokens = long.MaxValue, CompletionTokens = long.MinValue },
            TestEvents.Completion("u-2", "e-2") with { Ts = new DateTimeOffset(2026, 12, 7, 4, 5, 6, TimeSpan.FromHours(5)), Input = "a\0" + longText, Output = "", CostUsd = -0.0, Extra = "{\"k\":\"ß\"}" },
            TestEvents.Completion("u-3", "e-3") with { Ts = DateTimeOffset.MaxValue, Stage = int.MaxValue, TtftMs = double.MaxValue, Value = 1e-300 },
            TestEvents.Exposure("user-4", "e-4") with { Ts = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(9), Shadow = true, PairId = "p", Attributes = "{}" },
        };

        var result = await sut.AppendAsync(events, TestContext.Current.CancellationToken);

        Assert.Equal((4, 0), Counts(result));
        var expected = events.Select(e => e with
        {
            Ts = e.Ts == DateTimeOffset.MaxValue ? e.Ts : ToMicroseconds(e.Ts),
            Input = e.Input?.Replace('\0', '\uFFFD'),
        });
        var read = await ReadAllAsync(sut, "prompt-opt-v2");
        Assert.Equal(expected, read);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(read[1].CostUsd!.Value)); // Equals takes -0.0 for 0.0
    }

    [Fact]
    public async Task AppendAsync_LoneSurrogatesNaNInfinitiesAndTimesBefore2000_ReadBackAsStoredAndRetriesCountDuplicates()
    {
        var sut = CreateStore();
        var e = TestEvents.Completion("u-\ud800", "id-\udc00") with
        {
            Ts = new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(7),
            Output = "a\ud800b\ud83d\ude00",
            LatencyMs = double.NaN,
            TtftMs = double.PositiveInfinity,
            CostUsd = double.NegativeInfinity,
        };
        var earliest = TestEvents.Exposure("user-2", "e-2") with { Ts = DateTimeOffset.MinValue };

        var first = await sut.AppendAsync([e, earliest], TestContext.Current.CancellationToken);
        var again = await sut.AppendAsync([e], TestContext.Current.CancellationToken);

        // A lone surrogate is stored as U+FFFD (as SQLite stores it) in the row and in the look-up of a retry alike, so the
        // retry counts a duplicate instead of failing; a pair stays. Times count microseconds from 2000, truncated toward it
        // (0.7 µs after a second before 2000 is read back as 1 µs after it).
        Assert.Equal(((2, 0), (0, 1)), (Counts(first), Counts(again)));
        var expected = new[]
        {
            e with { Unit = "u-\uFFFD", Id = "id-\uFFFD", Output = "a\uFFFDb\ud83d\ude00", Ts = new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(10) },
            earliest,
        };
        Assert.Equal(expected.OrderBy(x => x.Id), (await ReadAllAsync(sut, "prompt-opt-v2")).OrderBy(x => x.Id));
    }

    // timestamptz keeps microseconds from 2000-01-01 UTC; finer ticks are cut toward 2000 (as Npgsql writes them).
    private static DateTimeOffset ToMicroseconds(DateTimeOffset time)
    {
        var epoch = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        return new DateTimeOffset(epoch + ((time.UtcTicks - epoch) / 10 * 10), TimeSpan.Zero);
    }

    [Fact]
    public async Task AppendAsync_EmptyExperiment_ViolatesTheCheckAndStoresNothing()
    {
        var sut = CreateStore();
        var batch = TestEvents.Exposures(10);
        batch[5] = batch[5] with { Experiment = "" };

        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => sut.AppendAsync(batch, TestContext.Current.CancellationToken));

        Assert.Equal(Npgsql.PostgresErrorCodes.CheckViolation, ex.SqlState);
        Assert.Equal(0L, postgres.Scalar("SELECT COUNT(*) FROM events"));
    }
}
