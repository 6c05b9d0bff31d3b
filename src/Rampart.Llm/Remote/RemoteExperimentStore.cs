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

    private readonly HttpClient http;
    private readonly RampartClientOptions options;

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
        using var response = await SendAsync($"api/experiments/{Uri.EscapeDataString(key)}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using var document = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        return RemoteExperimentJson.Read(document.RootElement);
    }

    /// <inheritdoc />
    public async Task<ExperimentListResult> ListAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync("api/experiments", cancellationToken).ConfigureAwait(false);
        using var document = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        return new ExperimentListResult([.. document.RootElement.EnumerateArray().Select(RemoteExperimentJson.Read)]);
    }

    /// <inheritdoc />
    public Task CreateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A remote store is read-only: create experiments with POST /api/experiments or `rampart experiments create`.");

    /// <inheritdoc />
    public Task UpdateAsync(Experiment experiment, AuditEntry audit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A remote store is read-only: change experiments through the server's control plane (/api/experiments/{key}/…).");

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> AuditAsync(string key, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Read the audit log with GET /api/experiments/{key}/audit.");

    private async Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, options.Resolve(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"The Rampart server answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, Options, cancellationToken).ConfigureAwait(false);
        }
    }
}
