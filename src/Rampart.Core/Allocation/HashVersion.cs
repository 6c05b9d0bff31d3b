namespace Rampart.Core.Allocation;

/// <summary>The frozen definitions of how a unit becomes a bucket. A version, once published, never changes.</summary>
public enum HashVersion
{
    /// <summary><c>XxHash64(UTF-8(salt + ":" + unit), seed 0) mod 10000</c>.</summary>
    V1 = 1,
}
