using BenchmarkDotNet.Attributes;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Reading;
using Rampart.Analysis.Results;

namespace Rampart.Benchmarks.Analysis;

/// <summary>
/// Answering a results query from aggregates the server keeps incrementally (sketch mode): the cost depends on the number of
/// units, not of events, so 100,000 and 1,000,000 events of the same units cost the same.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class ResultsFromAggregatesBenchmark
{
    private ExperimentAggregate aggregate = null!;

    /// <summary>Events aggregated.</summary>
    [Params(100_000, 1_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Fixed units, more events: the million-event file's first 100,000 lines hold fewer units, so repeat them instead.
        var once = EventFileReader.Read(EventFileGenerator.Ensure(100_000), new EventFileOptions(QuantileMode.Sketch)).Experiments[0];
        aggregate = new ExperimentAggregate(once.Experiment, QuantileMode.Sketch);
        for (var i = 0; i < Events / 100_000; i++)
        {
            aggregate.Merge(once);
        }
    }

    /// <summary>The results document from the aggregates.</summary>
    [Benchmark]
    public ResultsDocument Analyze() => ExperimentAnalyzer.Analyze(aggregate);
}
