using System.Text.Json;
using Rampart.Core.Alerts;

namespace Rampart.Server.Alerts;

/// <summary>
/// The JSON a webhook receives: Slack's <c>text</c> (so a Slack incoming-webhook URL works as is) and the alert's fields:
/// <c>{"text", "experiment", "kind", "variant", "ts", "metrics"}</c>.
/// </summary>
internal static class AlertBody
{
    public static byte[] Serialize(Alert alert)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", alert.Text);
            json.WriteString("experiment", alert.Experiment);
            json.WriteString("kind", alert.Kind);
            if (alert.Variant is null)
            {
                json.WriteNull("variant");
            }
            else
            {
                json.WriteString("variant", alert.Variant);
            }

            json.WriteString("ts", alert.Ts);
            json.WriteStartObject("metrics");
            foreach (var (name, value) in alert.Metrics)
            {
                if (double.IsFinite(value))
                {
                    json.WriteNumber(name, value);
                }
                else
                {
                    json.WriteNull(name);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
