using System.Text.Json;
using Rampart.Testing;

namespace Rampart.Cli.Tests;

/// <summary>The published vectors, reproduced by a separate <c>rampart</c> process: assignment does not depend on the process.</summary>
public sealed class AssignmentAcrossProcessesTests
{
    [Fact]
    public async Task Assign_InAnotherProcess_MatchesPublishedVectorsAtEveryStep()
    {
        using var sut = new CliHarness();
        await sut.CreateSeedAsync();
        using var vectors = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.File("docs/assignment-test-vectors.json")));
        var example = vectors.RootElement.GetProperty("examples")[0];
        var units = example.GetProperty("units").EnumerateArray().ToList();
        var unitsFile = sut.WriteFile("units.txt", string.Join("\n", units.Select(u => u.GetProperty("unit").GetString())));
        string[][] steps = [[], ["rollout", "advance", "prompt-opt-v2"], ["rollout", "advance", "prompt-opt-v2"], ["rollout", "promote", "prompt-opt-v2", "variant_b"]];

        for (var step = 0; step < steps.Length; step++)
        {
            if (steps[step].Length > 0)
            {
                await sut.RunOkAsync(steps[step]);
            }

            var output = await RampartProcess.RunAsync(sut.Folder, "assign", "prompt-opt-v2", "--units-file", unitsFile, "--db", sut.Db);
            Assert.True(output.ExitCode == 0, output.Stderr);
            var expected = units.Select(u => $"{u.GetProperty("unit").GetString()}\t{u.GetProperty("variants")[step].GetString()}\n");
            Assert.Equal(string.Concat(expected), output.Stdout);
        }
    }
}
