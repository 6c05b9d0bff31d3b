namespace Rampart.Analysis.Tests.Reference;

public sealed class ReferenceDataSetTests
{
    [Fact]
    public void Generate_Today_MatchesCommittedFileThePythonValuesCameFrom()
    {
        var generated = ReferenceDataSet.Generate();
        if (Environment.GetEnvironmentVariable("RAMPART_WRITE_REFERENCE") == "1")
        {
            File.WriteAllText(ReferenceDataSet.Path, generated);
        }

        Assert.Equal(File.ReadAllText(ReferenceDataSet.Path), generated);
    }
}
