using BenchmarkDotNet.Attributes;
using Rampart.Analysis;
using Rampart.Analysis.Reading;
using Rampart.Analysis.Results;

namespace Rampart.Benchmarks.Analysis;

/// <summary>
/// What <c>rampart analyze --events FILE --format json</c> does after start-up, in-process: read a 1,000,000-line JSON Lines
/// file into exact aggregates, analyse it and write the results document. The figure per operation is per event (line).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class AnalyzeFileBenchmark
{
    private const int Lines = 1_000_000;
    private string path = "";

    [GlobalSetup]
    public void Setup() => path = EventFileGenerator.Ensure(Lines);

    /// <summary>Read, aggregate (exact quantiles), analyse and serialise.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public string AnalyzeMillionLineFile()
    {
        var read = EventFileReader.Read(path);
        return ResultsJson.Serialize(ExperimentAnalyzer.Analyze(read.Experiments[0]));
    }
}
