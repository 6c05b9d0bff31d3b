using System.Globalization;
using BenchmarkDotNet.Running;
using Rampart.Benchmarks.Memory;

// dotnet run -c Release --project bench/Rampart.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
// dotnet run -c Release --project bench/Rampart.Benchmarks -- memory [UNITS]  (memory per unit; docs/benchmarks.md)
if (args is ["memory", ..])
{
    UnitMemory.Run(args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
