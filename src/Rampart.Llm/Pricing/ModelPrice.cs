namespace Rampart.Llm.Pricing;

/// <summary>A model's price in USD per 1,000 tokens.</summary>
/// <param name="InputPer1K">USD per 1,000 input (prompt) tokens.</param>
/// <param name="OutputPer1K">USD per 1,000 output (completion) tokens.</param>
public sealed record ModelPrice(decimal InputPer1K, decimal OutputPer1K)
{
    /// <summary><c>prompt/1000·input + completion/1000·output</c>, computed in decimal so listed prices give exact cents.</summary>
    public double Cost(long promptTokens, long completionTokens) =>
        (double)((promptTokens * InputPer1K + completionTokens * OutputPer1K) / 1000m);
}
