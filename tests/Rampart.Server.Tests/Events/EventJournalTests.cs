using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rampart.Core.Events;
using Rampart.Server.Events;
using Rampart.Testing;

namespace Rampart.Server.Tests.Events;

public sealed class EventJournalTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 22, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory folder = new();
    private readonly FakeTimeProvider time = new(Start);

    private string JournalFile => folder.File("events.journal");

    [Fact]
    public void TryAppend_ThenReopen_ReplaysEveryRecordInOrderWithItsIdsAndFields()
    {
        var batches = new[] { Batch("a", 3), Batch("b", 1), Batch("c", 2) };
        using (var first = Open())
        {
            foreach (var batch in batches)
            {
                Assert.True(first.TryAppend(batch, out _));
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        using var sut = Open();

        Assert.Equal(6, sut.HeldEvents);
        Assert.Equal(Start, sut.HeldSince);
        Assert.Equal(new FileInfo(JournalFile).Length, sut.Bytes);
        Assert.Equal(batches.SelectMany(b => b), ReadAll(sut));
    }

    [Fact]
    public void TryPeek_SeveralRecords_TakesWholeRecordsUpToTheMaximumInOrder()
    {
        using var sut = Open();
        Assert.True(sut.TryAppend(Batch("a", 3), out _));
        Assert.True(sut.TryAppend(Batch("b", 2), out _));
        Assert.True(sut.TryAppend(Batch("c", 2), out _));

        Assert.True(sut.TryPeek(6, out var first));
        sut.Advance();
        Assert.True(sut.TryPeek(1, out var second));
        sut.Advance();

        Assert.Equal([.. Batch("a", 3), .. Batch("b", 2)], first);
        Assert.Equal(Batch("c", 2), second);
        Assert.Equal(0, sut.HeldEvents);
    }

    [Fact]
    public void Advance_PastTheLastRecord_EmptiesTheFileAndHoldsNothing()
    {
        using var sut = Open();
        Assert.True(sut.TryAppend(Batch("a", 2), out _));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(sut.TryAppend(Batch("b", 2), out _));

        Assert.True(sut.TryPeek(1, out _));
        sut.Advance();
        Assert.Equal(2, sut.HeldEvents);
        Assert.Equal(Start.AddSeconds(5), sut.HeldSince);
        Assert.True(sut.TryPeek(1, out _));
        sut.Advance();

        Assert.Equal(0, sut.HeldEvents);
        Assert.Null(sut.HeldSince);
        Assert.Equal(0, sut.Bytes);
        Assert.Equal(0, new FileInfo(JournalFile).Length);
        Assert.False(sut.TryPeek(1, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(30)]
    public void Open_LastRecordTornByACrash_CutsItOffAndKeepsTheOthers(int cut)
    {
        long whole;
        using (var first = Open())
        {
            Assert.True(first.TryAppend(Batch("a", 2), out _));
            whole = first.Bytes;
            Assert.True(first.TryAppend(Batch("b", 2), out _));
        }

        using (var file = new FileStream(JournalFile, FileMode.Open))
        {
            file.SetLength(file.Length - cut);
        }

        using var sut = Open();

        Assert.Equal(2, sut.HeldEvents);
        Assert.Equal(whole, new FileInfo(JournalFile).Length);
        Assert.Equal(Batch("a", 2), ReadAll(sut));
    }

    [Fact]
    public void Open_LastRecordWithAFlippedByte_FailsItsChecksumAndIsIgnored()
    {
        long whole;
        using (var first = Open())
        {
            Assert.True(first.TryAppend(Batch("a", 1), out _));
            whole = first.Bytes;
            Assert.True(first.TryAppend(Batch("b", 1), out _));
        }

        FlipByte(whole + 40);

        using var sut = Open();

        Assert.Equal(1, sut.HeldEvents);
        Assert.Equal(Batch("a", 1), ReadAll(sut));
    }

    [Fact]
    public void Open_DamagedRecordBeforeTheEnd_MovesItAndTheRestAsideForTheOperator()
    {
        long first;
        long length;
        using (var writing = Open())
        {
            Assert.True(writing.TryAppend(Batch("a", 1), out _));
            first = writing.Bytes;
            Assert.True(writing.TryAppend(Batch("b", 1), out _));
            Assert.True(writing.TryAppend(Batch("c", 1), out _));
            length = writing.Bytes;
        }

        FlipByte(first + 30);

        using var sut = Open();

        Assert.Equal(1, sut.HeldEvents);
        var aside = Assert.Single(Directory.GetFiles(folder.Path, "events.journal.corrupt-*"));
        Assert.Equal(length - first, new FileInfo(aside).Length);
        Assert.Equal(Batch("a", 1), ReadAll(sut));
    }

    [Fact]
    public void TryAppend_PastMaxBytes_RefusesTheRecordAndKeepsTheFileAsItWas()
    {
        var record = EventJournal.Encode(Batch("a", 10), 0).Length;
        using var sut = Open(maxBytes: 2 * record + 10);
        Assert.True(sut.TryAppend(Batch("a", 10), out _));
        Assert.True(sut.TryAppend(Batch("b", 10), out _));

        var appended = sut.TryAppend(Batch("c", 10), out var refusal);

        Assert.False(appended);
        Assert.Contains("events.journal_max_bytes", refusal, StringComparison.Ordinal);
        Assert.Equal(20, sut.HeldEvents);
        Assert.Equal(2 * record, new FileInfo(JournalFile).Length);
    }

    [Fact]
    public void Open_FileAlreadyOpenByAnotherJournal_ThrowsNamingTheSetting()
    {
        using var running = Open();
        using var sut = new EventJournal(JournalFile, 1 << 20, time, NullLogger<EventJournal>.Instance);

        var error = Assert.Throws<InvalidOperationException>(sut.Open);

        Assert.Contains("events.journal_path", error.Message, StringComparison.Ordinal);
        Assert.Contains(JournalFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DefaultPathTakenByAnotherServer_TakesTheNextSlotAndReplaysWhatItHolds()
    {
        using (var crashed = new EventJournal(JournalFile, 1 << 20, time, NullLogger<EventJournal>.Instance, takeFreeSlot: true))
        using (var other = new EventJournal(JournalFile, 1 << 20, time, NullLogger<EventJournal>.Instance, takeFreeSlot: true))
        {
            crashed.Open();
            other.Open();
            Assert.Equal(JournalFile + ".2", other.Path);
            Assert.True(other.TryAppend(Batch("slot2", 2), out _));
        }

        using var first = new EventJournal(JournalFile, 1 << 20, time, NullLogger<EventJournal>.Instance, takeFreeSlot: true);
        using var second = new EventJournal(JournalFile, 1 << 20, time, NullLogger<EventJournal>.Instance, takeFreeSlot: true);
        first.Open();
        second.Open();

        Assert.Equal(JournalFile, first.Path);
        Assert.Equal(["slot2-0", "slot2-1"], ReadAll(second).Select(e => e.Id));
    }

    public void Dispose() => folder.Dispose();

    private static List<ExperimentEvent> Batch(string prefix, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? new ExperimentEvent
            {
                Type = EventType.Exposure, Experiment = "outage", Variant = "control", Unit = $"{prefix}-unit-{i}",
                Ts = Start.AddTicks(1_234_567 * i), Id = $"{prefix}-{i}", Stage = 0,
            }
            : new ExperimentEvent
            {
                Type = EventType.Completion, Experiment = "outage", Variant = "variant_a", Unit = $"{prefix}-unit-{i}",
                Ts = Start.AddTicks(7 * i), Id = $"{prefix}-{i}", Stage = 1, RequestId = $"req-{prefix}-{i}", LatencyMs = 812.25 + i,
                TtftMs = 0.1, PromptTokens = 12, CompletionTokens = 1_000_000_000, CostUsd = 1e-7, Error = i == 3 ? "HTTP 500" : null,
                Model = "sim-large", Input = "[{\"role\":\"user\",\"content\":\"é\\n\"}]", Output = "ok\n",
            }),
    ];

    private static List<ExperimentEvent> ReadAll(EventJournal journal)
    {
        var all = new List<ExperimentEvent>();
        while (journal.TryPeek(1, out var events))
        {
            all.AddRange(events);
            journal.Advance();
        }

        return all;
    }

    private EventJournal Open(long maxBytes = 1 << 20)
    {
        var journal = new EventJournal(JournalFile, maxBytes, time, NullLogger<EventJournal>.Instance);
        journal.Open();
        return journal;
    }

    private void FlipByte(long offset)
    {
        using var file = new FileStream(JournalFile, FileMode.Open);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x20));
    }
}
