using Rampart.Analysis.Checkpoints;

namespace Rampart.Analysis.Tests.Checkpoints;

public sealed class CheckpointReaderTests
{
    [Theory]
    [InlineData(1 << 29)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(3)]
    public void ReadArray_ACountLongerThanTheBytesLeft_RefusedBeforeAllocating(int count)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(count);
            writer.Write(1L);
            writer.Write(2L);   // two longs follow: three are more than is there
        }

        stream.Position = 0;
        using var sut = new CheckpointReader(stream, stream.Length);

        Assert.Throws<CheckpointFormatException>(() => sut.ReadArray<long>());
    }

    [Fact]
    public void ReadArray_TheCountThatIsThere_ReadsIt()
    {
        using var stream = new MemoryStream();
        using (var writer = new CheckpointWriter(stream))
        {
            writer.WriteSpan<long>([1L, 2L]);
        }

        stream.Position = 0;
        using var sut = new CheckpointReader(stream, stream.Length);

        Assert.Equal([1L, 2L], sut.ReadArray<long>());
    }

    [Fact]
    public void ReadCount_MoreElementsThanBytesLeft_Refused()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(1_000_000);
        }

        stream.Position = 0;
        using var sut = new CheckpointReader(stream, stream.Length);

        Assert.Throws<CheckpointFormatException>(() => sut.ReadCount());
    }
}
