using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rampart.Core.Audit;
using Rampart.Core.Rollouts;

namespace Rampart.Llm.Remote;

/// <summary>
/// A read-only <see cref="IExperimentStore"/> over a Rampart server's API, for apps that assign in-process but keep no
/// database (remote mode): <c>StoreExperimentSnapshot</c> reads it periodically, so assignment stays local and
/// allocation-free. Changes go through the server's control plane, not through this store.
/// </summary>
public sealed class RemoteExperimentStore : IExperimentStore
{
    // The server takes a definition up to JSON's default depth (64, a variant's params nested within it), and its answers
    // hold the definition two levels down (a list of experiments, each with its definition): read that much deeper, or the
    // deepest definition it accepts (and with it the whole list) could not be read here.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 + 2 };

    private const int MaxErrorBytes = 4096;

    private readonly HttpClient http;
    private readonly RampartClientOptions options;

    // The last tagged answer per path: at most one per experiment this store was asked for, and the list.
    private readonly ConcurrentDictionary<string, TaggedAnswer> answers = new(StringComparer.Ordinal);

    /// <summary>A store reading the server <paramref name="options"/> names through <paramref name="http"/>.</summary>
    public RemoteExperimentStore(HttpClient http, RampartClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options;
    }

    /// <inheritdoc />
    public async Task<Experiment?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await GetAsync($"api/experiments/{Uri.EscapeDataString(key)}", RemoteExperimentJson.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default) =>
        await GetAsync("api/experiments", root => new ExperimentListResult([.. root.EnumerateArray().Select(RemoteExperimentJson.Read)]), cancellationToken).ConfigureAwait(false)
        ?? new ExperimentListResult([]);

    /// <inheritdoc />
    public Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A remote store is read-only: create experiments with POST /api/experiments or `rampart experiments create`.");

    /// <inheritdoc />
    public Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A remote store is read-only: change experiments through the server's control plane (/api/experiments/{key}/…).");

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Read the audit log with GET /api/experiments/{key}/audit.");

    // The answer at path read by read, or null for a 404. The server tags its answers (ETag): a read the server says is
    // unchanged (304) gives the value read last time without parsing it again; a definition may take megabytes, and the
    // snapshot asks again every few seconds.
    private async Task<T?> GetAsync<T>(string path, Func<JsonElement, T> read, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, options.Resolve(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        var held = answers.GetValueOrDefault(path);
        if (held is not null)
        {
            request.Headers.IfNoneMatch.Add(held.Tag);
        }

        // Headers first: the body is read as it comes (parsed, or only its start for an error), never buffered whole first.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified && held?.Value is T unchanged)
        {
            return unchanged;
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            answers.TryRemove(path, out _);
            return null;
        }

        using var document = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        var value = read(document.RootElement);
        if (response.Headers.ETag is { IsWeak: false } tag)
        {
            answers[path] = new TaggedAnswer(tag, value);
        }
        else
        {
            answers.TryRemove(path, out _);
        }

        return value;
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            // Only the start of an error answer is read: one from a proxy in between may be any size.
            var (start, whole) = await Providers.BoundedContent.ReadPrefixAsync(response.Content, MaxErrorBytes, cancellationToken).ConfigureAwait(false);
            var body = System.Text.Encoding.UTF8.GetString(start) + (whole ? "" : "…");
            throw new HttpRequestException($"The Rampart server answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, Options, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record TaggedAnswer(EntityTagHeaderValue Tag, object Value);
}
