using System.Globalization;
using BenchmarkDotNet.Running;
using Rampart.Benchmarks.Memory;
using Rampart.Benchmarks.Restart;
using Rampart.Storage;

// dotnet run -c Release --project bench/Rampart.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
// dotnet run -c Release --project bench/Rampart.Benchmarks -- memory [UNITS]  (memory per unit; docs/benchmarks.md)
// dotnet run -c Release --project bench/Rampart.Benchmarks -- history (--db FILE | --postgres CONNSTRING) EVENTS UNITS  (bench/load/restart.sh)
if (args is ["history", var storage, var target, var events, var units])
{
    var options = storage == "--postgres" ? new StorageOptions { PostgresConnectionString = target } : new StorageOptions { SqlitePath = target };
    await History.RunAsync(options, long.Parse(events, CultureInfo.InvariantCulture), long.Parse(units, CultureInfo.InvariantCulture));
}
else if (args is ["memory", ..])
{
    UnitMemory.Run(args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
