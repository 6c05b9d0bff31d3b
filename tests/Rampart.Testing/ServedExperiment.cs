using System.Text;
using System.Text.Json;

namespace Rampart.Testing;

/// <summary>What a running server serves, asked through its API.</summary>
public static class ServedExperiment
{
    /// <summary>
    /// Waits until the server behind <paramref name="ingest"/> (an ingest key's client) serves <paramref name="experiment"/>
    /// as started. A start made through another server reaches this one at its next poll, up to a second later; meanwhile
    /// a draft it read would serve calls neither recorded nor judged. Asks without storing an exposure.
    /// </summary>
    public static Task StartedAsync(HttpClient ingest, string experiment)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        var body = JsonSerializer.Serialize(new { experiment, unit = "probe", log_exposure = false });
        return Eventually.TrueAsync(async () =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await ingest.PostAsync(new Uri("/api/assign", UriKind.Relative), content);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return response.IsSuccessStatusCode && json.RootElement.GetProperty("reason").GetString() != "not_started";
        });
    }
}
