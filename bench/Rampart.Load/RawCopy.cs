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
        // Synchronous writes on a thread per connection: the cheapest way Npgsql has to send rows, so the figure is
        // PostgreSQL's, as far as a client on the same 2 cores allows.
        var threads = Enumerable.Range(0, concurrency).Select(_ => new Thread(() =>
        {
            using var connection = source.OpenConnection();
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                using var transaction = connection.BeginTransaction();
                using (var importer = connection.BeginBinaryImport($"COPY copy_bench ({Columns}) FROM STDIN (FORMAT BINARY);"))
                {
                    for (var i = 0; i < batchSize; i++)
                    {
                        importer.StartRow();
                        importer.Write("bench", NpgsqlDbType.Text);
                        importer.Write("completion", NpgsqlDbType.Text);
                        importer.Write(ts, NpgsqlDbType.TimestampTz);
                        importer.Write($"copy-{b:D6}-{i:D5}", NpgsqlDbType.Text);
                        importer.Write(i % 5 == 0 ? "variant_a" : "control", NpgsqlDbType.Text);
                        importer.Write($"u-{i % 997}", NpgsqlDbType.Text);
                        importer.Write(812.5, NpgsqlDbType.Double);
                        importer.Write(120L, NpgsqlDbType.Bigint);
                        importer.Write(80L, NpgsqlDbType.Bigint);
                        importer.Write(0.0084, NpgsqlDbType.Double);
                        importer.Write((long)b, NpgsqlDbType.Bigint);
                        importer.Write(i, NpgsqlDbType.Integer);
                    }

                    importer.Complete();
                }

                transaction.Commit();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows={(long)batches * batchSize} batches={batches} batch_size={batchSize} concurrency={concurrency} seconds={elapsed:F2} rows_per_s={batches * (double)batchSize / elapsed:F0}"));
        return 0;
    }
}
