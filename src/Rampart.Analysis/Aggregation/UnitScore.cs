namespace Rampart.Analysis.Aggregation;

/// <summary>One unit's feedback on one score: the sum of its values and how many.</summary>
internal struct UnitScore
{
    /// <summary>The values summed.</summary>
    public double Sum;

    /// <summary>How many values.</summary>
    public long Count;
}
