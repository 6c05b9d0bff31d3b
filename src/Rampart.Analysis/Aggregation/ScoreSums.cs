using Rampart.Stats.Ratios;

namespace Rampart.Analysis.Aggregation;

/// <summary>
/// Additive per-unit sums of one score in one variant (n, ΣYᵢ, ΣNᵢ, ΣYᵢ², ΣNᵢ², ΣYᵢNᵢ over units, Yᵢ the sum of a unit's
/// values and Nᵢ their count), plus how many values are not 0 or 1. A change to one unit's totals is recorded as the
/// difference it makes, so the sums of a period are the sum of its changes and periods merge by adding. The timeline keeps
/// one per time bucket (<see cref="Timelines.TimelineRecorder"/>); the monitor one per variant (<see cref="Monitoring.ScoreUnits"/>).
/// <see cref="UnitSums"/> gathers the same sums in one pass over units that only ever get added.
/// </summary>
internal struct ScoreSums
{
    public long Units;
    public double SumY;
    public double SumN;
    public double SumYY;
    public double SumNN;
    public double SumYN;
    public long NonBinary;

    /// <summary>Records that a unit's totals went from (y0, n0) to (y1, n1).</summary>
    public void Change(double y0, long n0, double y1, long n1)
    {
        Units += (n1 > 0 ? 1 : 0) - (n0 > 0 ? 1 : 0);
        SumY += y1 - y0;
        SumN += n1 - n0;
        SumYY += (y1 * y1) - (y0 * y0);
        SumNN += ((double)n1 * n1) - ((double)n0 * n0);
        SumYN += (y1 * n1) - (y0 * n0);
    }

    /// <summary>The sums as the delta method takes them (squares clamped at 0 against rounding in the differences).</summary>
    public readonly RatioAccumulator ToAccumulator() =>
        RatioAccumulator.FromSums(Units, SumY, SumN, Math.Max(0, SumYY), Math.Max(0, SumNN), SumYN);

    public void Add(in ScoreSums other)
    {
        Units += other.Units;
        SumY += other.SumY;
        SumN += other.SumN;
        SumYY += other.SumYY;
        SumNN += other.SumNN;
        SumYN += other.SumYN;
        NonBinary += other.NonBinary;
    }

    public readonly void Write(Checkpoints.CheckpointWriter writer)
    {
        writer.Write(Units);
        writer.Write(SumY);
        writer.Write(SumN);
        writer.Write(SumYY);
        writer.Write(SumNN);
        writer.Write(SumYN);
        writer.Write(NonBinary);
    }

    public static ScoreSums Read(Checkpoints.CheckpointReader reader) => new()
    {
        Units = reader.ReadInt64(), SumY = reader.ReadDouble(), SumN = reader.ReadDouble(), SumYY = reader.ReadDouble(),
        SumNN = reader.ReadDouble(), SumYN = reader.ReadDouble(), NonBinary = reader.ReadInt64(),
    };
}
