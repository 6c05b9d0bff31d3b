using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Rampart.Llm.Providers;

namespace Rampart.Llm.Tests.Fakes;

/// <summary>The caller's side of a call, keeping every piece written (a copy, with when it arrived).</summary>
public sealed class RecordingResponseWriter : IChatResponseWriter
{
    private readonly List<(byte[] Data, long At)> writes = [];

    public bool HasStarted { get; private set; }

    public int? StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    /// <summary>Called after each write with the number of writes so far.</summary>
    public Action<int>? OnWrite { get; init; }

    public IReadOnlyList<byte[]> Writes
    {
        get
        {
            lock (writes)
            {
                return [.. writes.Select(w => w.Data)];
            }
        }
    }

    public long FirstWriteAt
    {
        get
        {
            lock (writes)
            {
                return writes[0].At;
            }
        }
    }

    public byte[] Body => [.. Writes.SelectMany(w => w)];

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The payloads of the body's <c>data:</c> lines, in order.</summary>
    public IReadOnlyList<string> DataLines =>
        [.. Text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..].TrimEnd('\r'))];

    /// <summary>The <c>data:</c> payloads that are JSON (all but <c>[DONE]</c>).</summary>
    public IReadOnlyList<JsonObject> Chunks => [.. DataLines.Where(l => l != "[DONE]").Select(l => JsonNode.Parse(l)!.AsObject())];

    public ValueTask StartAsync(int statusCode, string contentType, CancellationToken cancellationToken)
    {
        Assert.False(HasStarted, "StartAsync was called twice.");
        HasStarted = true;
        StatusCode = statusCode;
        ContentType = contentType;
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Assert.True(HasStarted, "WriteAsync before StartAsync.");
        int count;
        lock (writes)
        {
            writes.Add((data.ToArray(), Stopwatch.GetTimestamp()));
            count = writes.Count;
        }

        OnWrite?.Invoke(count);
        return ValueTask.CompletedTask;
    }
}
