using Rampart.Core.Allocation;

namespace Rampart.Core.Tests.Allocation;

public sealed class BucketHasherTests
{
    // Independent values: /usr/bin/python3 -c "import xxhash; print(xxhash.xxh64_intdigest('prompt-opt-v2:user-123'.encode(), seed=0) % 10000)"
    [Theory]
    [InlineData("prompt-opt-v2", "user-123", 5366)]
    [InlineData("prompt-opt-v2", "user-0", 9323)]
    [InlineData("prompt-opt-v2", "user-1", 1351)]
    public void Bucket_KnownUnits_MatchPythonXxhash(string salt, string unit, int expected)
    {
        var sut = new BucketHasher(salt);

        Assert.Equal(expected, sut.Bucket(unit));
    }

    [Fact]
    public void Bucket_LongUnit_SameAsStaticOverload()
    {
        var unit = new string('é', 5000);
        var sut = new BucketHasher("salt");

        var bucket = sut.Bucket(unit);

        Assert.InRange(bucket, 0, 9999);
        Assert.Equal(BucketHasher.Bucket("salt", unit), bucket);
    }
}
