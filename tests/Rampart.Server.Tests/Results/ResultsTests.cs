using System.Globalization;
using System.Text;
using Rampart.Analysis;
using Rampart.Analysis.Aggregation;
using Rampart.Analysis.Results;
using Rampart.Core.Events;
using Rampart.Server.Tests.Events;

namespace Rampart.Server.Tests.Results;

public sealed class ResultsTests
{
    private const string Key = "results";

    [Fact]
    public async Task Results_FromIncrementalAggregates_EqualTheExactAnalysisOfTheSameEvents()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var lines = Generate(seed: 7, units: 600, callsPerUnit: 4);
        foreach (var chunk in lines.Chunk(1_000))
        {
            await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", chunk));
        }

        var served = ResultsJson.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/results"));

        var exact = new ExperimentAggregate(Key, QuantileMode.Exact);
        var sequence = 0L;
        foreach (var e in await sut.StoredAsync(Key))
        {
            exact.Add(e, ++sequence);
        }

        var expected = ExperimentAnalyzer.Analyze(exact, AnalysisOptions.For((await sut.Experiments.FindAsync(Key))!));
        Assert.Equal(expected.Variants.Select(v => v.Name), served.Variants.Select(v => v.Name));
        foreach (var (want, got) in expected.Variants.Zip(served.Variants))
        {
            Assert.Equal((want.Units, want.Requests, want.Errors), (got.Units, got.Requests, got.Errors));
            Assert.Equal(want.Tokens, got.Tokens);
            Close(want.LatencyMs.Mean, got.LatencyMs.Mean, 1e-9);
            Close(want.CostUsd.Mean, got.CostUsd.Mean, 1e-9);
            Close(want.CostUsd.Total, got.CostUsd.Total, 1e-9);
            Close(want.LatencyMs.P50, got.LatencyMs.P50, 0.01);
            Close(want.LatencyMs.P95, got.LatencyMs.P95, 0.01);
            Close(want.LatencyMs.P99, got.LatencyMs.P99, 0.01);
            var (ws, gs) = (want.Scores["user_satisfaction"], got.Scores["user_satisfaction"]);
            Assert.Equal(ws.N, gs.N);
            Close(ws.Mean, gs.Mean, 1e-9);
        }
    }

    [Fact]
    public async Task Results_AfterAnAcknowledgedEvent_CountItAtOnce()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));

        for (var i = 1; i <= 5; i++)
        {
            await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", DataPlaneTests.Completion($"u{i}", $"r{i}", experiment: Key));
            var results = ResultsJson.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/results"));
            Assert.Equal(i, results.Variants.Single(v => v.Name == "control").Requests);
        }
    }

    [Fact]
    public async Task Results_WithAnotherWritersEventsBetweenTheServersCommits_CountEveryEventOnce()
    {
        await using var sut = await TestHost.StartAsync();
        await sut.CreateExperimentAsync(TestExperiments.Sim(Key));
        var importer = new Rampart.Storage.Sqlite.SqliteEventStore(sut.DatabasePath); // as `rampart import` into the same file

        for (var round = 0; round < 6; round++)
        {
            // The server's own commits (which its follower takes without reading them back)…
            var lines = Enumerable.Range(0, 200).Select(i => DataPlaneTests.Completion($"u-{round}-{i}", $"r-{round}-{i}", experiment: Key));
            await DataPlaneTests.PostJsonAsync(sut.Ingest, "/api/events", string.Join("\n", lines));

            // …and another process's, stored between them: only a read of the store finds these.
            await importer.AppendAsync([.. Enumerable.Range(0, 50).Select(i => new ExperimentEvent
            {
                Type = EventType.Completion, Experiment = Key, Variant = "variant_a", Unit = $"imported-{round}-{i}",
                Ts = DateTimeOffset.UnixEpoch.AddDays(20_000), Id = $"imported-{round}-{i}", RequestId = $"imported-{round}-{i}", LatencyMs = 900,
            })], TestContext.Current.CancellationToken);
        }

        var results = ResultsJson.Parse(await sut.Read.GetStringAsync($"/api/experiments/{Key}/results"));
        Assert.Equal(6 * 200, results.Variants.Single(v => v.Name == "control").Requests);
        Assert.Equal(6 * 50, results.Variants.Single(v => v.Name == "variant_a").Requests);
    }

    private static void Close(double? expected, double? actual, double relative)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected.Value - actual.Value) <= relative * Math.Abs(expected.Value), $"expected {expected} ± {relative:P}, got {actual}");
    }

    // Exposures, completions (lognormal latencies, 3% errors, some without cost) and binary feedback, some repeated.
    private static List<string> Generate(int seed, int units, int callsPerUnit)
    {
        var random = new Random(seed);
        var variants = new[] { "control", "variant_a", "variant_b" };
        var lines = new List<string>();
        for (var u = 0; u < units; u++)
        {
            var variant = variants[u % 3];
            var unit = $"user-{u}";
            lines.Add(DataPlaneTests.Exposure(unit, variant, Key));
            for (var c = 0; c < callsPerUnit; c++)
            {
                var request = $"r-{u}-{c}";
                var latency = Math.Exp(6.5 + (0.5 * Normal(random)) + (variant == "variant_a" ? 0.1 : 0));
                var failed = random.NextDouble() < 0.03;
                var cost = random.NextDouble() < 0.9 ? (random.Next(50, 500) / 10_000.0).ToString(CultureInfo.InvariantCulture) : "null";
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"type":"completion","experiment":"{{Key}}","variant":"{{variant}}","unit":"{{unit}}","request_id":"{{request}}","ts":"2026-11-01T10:00:01Z","latency_ms":{{latency}},"prompt_tokens":{{random.Next(50, 200)}},"completion_tokens":{{random.Next(20, 120)}},"cost_usd":{{cost}},"error":{{(failed ? "\"timeout\"" : "null")}}}"""));
                if (random.NextDouble() < 0.6)
                {
                    var value = random.NextDouble() < (variant == "variant_b" ? 0.82 : 0.78) ? 1 : 0;
                    var feedback = new StringBuilder().Append(CultureInfo.InvariantCulture,
                        $$"""{"type":"feedback","experiment":"{{Key}}","variant":"{{variant}}","unit":"{{unit}}","request_id":"{{request}}","ts":"2026-11-01T10:00:02Z","score":"user_satisfaction","value":{{value}}}""");
                    lines.Add(feedback.ToString());
                }
            }
        }

        return lines;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
