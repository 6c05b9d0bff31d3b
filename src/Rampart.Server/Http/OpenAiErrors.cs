using System.Text.Json;

namespace Rampart.Server.Http;

/// <summary>Gateway errors in OpenAI's envelope: <c>{"error": {"message", "type", "code", "param"}}</c>.</summary>
internal static class OpenAiErrors
{
    /// <summary>The envelope's JSON.</summary>
    public static byte[] Envelope(string message, string type, string? code, string? param = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, ServerJson.Options))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteString("code", code);
            writer.WriteString("param", param);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The envelope as a result with <paramref name="status"/>.</summary>
    public static IResult Result(int status, string message, string type, string? code, string? param = null) =>
        new JsonBytesResult(Envelope(message, type, code, param), status);

    /// <summary>The OpenAI error type of a status: <c>invalid_request_error</c> for 4xx, <c>server_error</c> otherwise.</summary>
    public static string TypeOf(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "server_error",
    };
}
