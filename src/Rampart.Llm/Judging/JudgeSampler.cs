using System.IO.Hashing;
using System.Text;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Judging;

/// <summary>
/// Which calls a judge judges: those whose hash of (request id, judge name) falls below the judge's sample rate, so the
/// same request gets the same decision on every server and on a replay (docs/judges.md).
/// </summary>
public static class JudgeSampler
{
    /// <summary>True when <paramref name="judge"/> judges the call <paramref name="requestId"/>.</summary>
    public static bool Sampled(string requestId, JudgeDefinition judge)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(judge);
        return Fraction(requestId, judge.Name) < judge.SampleRate;
    }

    /// <summary>A uniform number in [0, 1) from the hash of <paramref name="requestId"/> and <paramref name="judgeName"/>.</summary>
    internal static double Fraction(string requestId, string judgeName) =>
        (Hash(requestId, judgeName) >> 11) * (1.0 / (1UL << 53));

    /// <summary>The XxHash64 of <c>requestId + "\n" + judgeName</c>.</summary>
    internal static ulong Hash(string requestId, string judgeName) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(requestId + "\n" + judgeName));
}
