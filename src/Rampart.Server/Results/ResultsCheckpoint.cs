using System.IO.Hashing;
using Rampart.Analysis.Checkpoints;
using Rampart.Core.Events;
using Rampart.Llm.Judging;

namespace Rampart.Server.Results;

/// <summary>
/// The results checkpoint's format (docs/storage.md, "Checkpoints"): a header (format, the feed position covered and the
/// id of the event there), every experiment's aggregates, signals and timeline, the judges' settled spend, and a trailer,
/// all hashed with XXH128. A checkpoint is used only when its format is this one, its hash and length match, and it
/// parses whole; anything else is refused and results are rebuilt from the events.
/// </summary>
internal static class ResultsCheckpoint
{
    /// <summary>
    /// The format's version: raise it whenever what any aggregate keeps, or how an event changes it, changes; a server
    /// then ignores older checkpoints and rebuilds once.
    /// </summary>
    public const int Format = 1;

    private const string Magic = "rampart results checkpoint";

    /// <summary>Writes <paramref name="tracker"/> and <paramref name="budget"/>'s settled spend as of <paramref name="position"/>.</summary>
    public static (CheckpointInfo Info, IReadOnlyList<ReadOnlyMemory<byte>> Chunks) Write(
        ResultsTracker tracker, JudgeBudget budget, long position, string? lastEventId, DateTimeOffset now)
    {
        var memory = new ChunkedMemory();
        using (var writer = new CheckpointWriter(memory))
        {
            writer.Write(Magic);
            writer.Write(Format);
            writer.Write(position);
            writer.WriteNullable(lastEventId);
            tracker.Write(writer);
            var spend = budget.SettledSpend();
            writer.Write(spend.Count);
            foreach (var (experiment, judge, day, settled) in spend)
            {
                writer.Write(experiment);
                writer.Write(judge);
                writer.Write(day.DayNumber);
                writer.Write(settled);
            }

            writer.Write(Magic);
        }

        var chunks = memory.Chunks;
        return (new CheckpointInfo(0, position, Format, memory.Length, Hash(chunks), now), chunks);
    }

    /// <summary>
    /// Reads a stored checkpoint into the empty <paramref name="tracker"/> and returns the id of the last event it covers
    /// and the judges' spend to add; throws <see cref="CheckpointFormatException"/> (the tracker is then left empty).
    /// </summary>
    public static (string? LastEventId, IReadOnlyList<(string Experiment, string Judge, DateOnly Day, double Settled)> Spend) Read(
        CheckpointInfo info, IReadOnlyList<byte[]> chunks, ResultsTracker tracker)
    {
        CheckpointReader.Check(info.Format == Format, $"The checkpoint is in format {info.Format}, not this server's {Format}.");
        CheckpointReader.Check(chunks.Sum(c => (long)c.Length) == info.Length, "The checkpoint's bytes are not all there.");
        CheckpointReader.Check(Hash([.. chunks.Select(c => new ReadOnlyMemory<byte>(c))]) == info.Hash, "The checkpoint's bytes do not match its hash.");
        try
        {
            using var reader = new CheckpointReader(ChunkedMemory.OpenRead(chunks), info.Length);
            CheckpointReader.Check(reader.ReadString() == Magic && reader.ReadInt32() == Format && reader.ReadInt64() == info.Position, "The checkpoint's header is invalid.");
            var lastEventId = reader.ReadNullableString();
            tracker.Read(reader);
            var count = reader.ReadCount();
            var spend = new List<(string, string, DateOnly, double)>(count);
            for (var i = 0; i < count; i++)
            {
                var (experiment, judge, day, settled) = (reader.ReadString(), reader.ReadString(), reader.ReadInt32(), reader.ReadDouble());
                CheckpointReader.Check(day >= DateOnly.MinValue.DayNumber && day <= DateOnly.MaxValue.DayNumber, "A judge's spend has an invalid day.");
                spend.Add((experiment, judge, DateOnly.FromDayNumber(day), settled));
            }

            CheckpointReader.Check(reader.ReadString() == Magic, "The checkpoint's trailer is invalid.");
            return (lastEventId, spend);
        }
        catch (Exception e) when (e is CheckpointFormatException or EndOfStreamException or InvalidDataException or FormatException or ArgumentException)
        {
            tracker.Clear();
            throw e as CheckpointFormatException ?? new CheckpointFormatException($"The checkpoint cannot be read: {e.Message}", e);
        }
    }

    private static string Hash(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        var hash = new XxHash128();
        foreach (var chunk in chunks)
        {
            hash.Append(chunk.Span);
        }

        return Convert.ToHexString(hash.GetCurrentHash());
    }
}
