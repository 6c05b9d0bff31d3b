using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// The ceiling bench/load/postgres.sh compares Rampart's PostgreSQL ingestion with: binary COPY of the rows
/// <c>Rampart.Load events</c> posts into <c>copy_bench</c>, a fresh table with the shape of Rampart's <c>events</c>
/// (<c>LIKE events INCLUDING ALL</c>: the same columns, constraints and indexes), one transaction per batch, from
/// several connections at once, with nothing else (no id look-up, no lock, no HTTP, no JSON).
/// </summary>
internal static class RawCopy
{
    private const string Columns = "experiment, type, ts, id, variant, unit, latency_ms, prompt_tokens, completion_tokens, cost_usd, batch, ord";

    public static async Task<int> RunAsync(string connectionString, int batches, int batchSize, int concurrency)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using (var setup = source.CreateCommand("DROP TABLE IF EXISTS copy_bench; CREATE TABLE copy_bench (LIKE events INCLUDING ALL);"))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var ts = new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await using var connection = await source.OpenConnectionAsync();
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using (var importer = await connection.BeginBinaryImportAsync($"COPY copy_bench ({Columns}) FROM STDIN (FORMAT BINARY);"))
                {
                    for (var i = 0; i < batchSize; i++)
                    {
                        await importer.StartRowAsync();
                        await importer.WriteAsync("bench", NpgsqlDbType.Text);
                        await importer.WriteAsync("completion", NpgsqlDbType.Text);
                        await importer.WriteAsync(ts, NpgsqlDbType.TimestampTz);
                        await importer.WriteAsync($"copy-{b:D6}-{i:D5}", NpgsqlDbType.Text);
                        await importer.WriteAsync(i % 5 == 0 ? "variant_a" : "control", NpgsqlDbType.Text);
                        await importer.WriteAsync($"u-{i % 997}", NpgsqlDbType.Text);
                        await importer.WriteAsync(812.5, NpgsqlDbType.Double);
                        await importer.WriteAsync(120L, NpgsqlDbType.Bigint);
                        await importer.WriteAsync(80L, NpgsqlDbType.Bigint);
                        await importer.WriteAsync(0.0084, NpgsqlDbType.Double);
                        await importer.WriteAsync((long)b, NpgsqlDbType.Bigint);
                        await importer.WriteAsync(i, NpgsqlDbType.Integer);
                    }

                    await importer.CompleteAsync();
                }

                await transaction.CommitAsync();
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows={(long)batches * batchSize} batches={batches} batch_size={batchSize} concurrency={concurrency} seconds={elapsed:F2} rows_per_s={batches * (double)batchSize / elapsed:F0}"));
        return 0;
    }
}
