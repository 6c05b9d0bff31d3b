using System.Text.Json;
using System.Text.Json.Nodes;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Variants;

/// <summary>Turns a caller's OpenAI chat completion request into the request a variant makes. Pure: the caller's body is never changed.</summary>
public static class VariantRequest
{
    /// <summary>
    /// The body with the variant applied: <c>model</c> always; <c>temperature</c>, <c>top_p</c> and <c>max_tokens</c> (or
    /// <c>max_completion_tokens</c> when the caller used that one) when the variant sets them; the system prompt replaces the
    /// first system (or developer) message's content, or is inserted first; <c>params</c> become top-level fields, except
    /// <c>sim</c> (the simulated provider's settings) and <c>stream</c> (the caller decides that). The variant's own
    /// fields win over a param of the same name.
    /// </summary>
    public static JsonObject Apply(JsonObject body, VariantConfig variant)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(variant);
        var result = body.DeepClone().AsObject();
        if (variant.Params is { ValueKind: JsonValueKind.Object } parameters)
        {
            foreach (var field in parameters.EnumerateObject())
            {
                if (field.Name is not (SimulationOptions.ParamsKey or "stream"))
                {
                    result[field.Name] = JsonNode.Parse(field.Value.GetRawText());
                }
            }
        }

        result["model"] = variant.Model;
        if (variant.Temperature is { } temperature)
        {
            result["temperature"] = temperature;
        }

        if (variant.TopP is { } topP)
        {
            result["top_p"] = topP;
        }

        if (variant.MaxTokens is { } maxTokens)
        {
            result[result.ContainsKey("max_completion_tokens") ? "max_completion_tokens" : "max_tokens"] = maxTokens;
        }

        if (variant.SystemPrompt is { } systemPrompt)
        {
            SetSystemPrompt(result, systemPrompt);
        }

        return result;
    }

    /// <summary>
    /// The call a provider makes for the variant: <see cref="Apply"/>'s body (made when first read, so an OpenAI-compatible
    /// provider that writes it in one pass never copies the caller's tree), streaming when the caller's body says
    /// <c>"stream": true</c>, and the variant's <c>params.sim</c> for the simulated provider, with <paramref name="requestKey"/>
    /// (<see cref="ChatCall.RequestKey"/>).
    /// </summary>
    public static ChatCall CreateCall(JsonObject body, VariantConfig variant, TimeSpan timeout, ulong seed = 0, string? requestKey = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(variant);
        var stream = body["stream"] is JsonValue value && value.GetValueKind() == JsonValueKind.True;
        return new ChatCall(body, variant, stream, timeout, seed, SimulationOptions.FromParams(variant.Params), requestKey);
    }

    private static void SetSystemPrompt(JsonObject body, string systemPrompt)
    {
        if (body["messages"] is not JsonArray messages)
        {
            body["messages"] = new JsonArray(SystemMessage(systemPrompt));
            return;
        }

        foreach (var message in messages)
        {
            if (message is JsonObject found && found["role"] is JsonValue role && role.TryGetValue<string>(out var name)
                && name is "system" or "developer")
            {
                found["content"] = systemPrompt;
                return;
            }
        }

        messages.Insert(0, SystemMessage(systemPrompt));
    }

    private static JsonObject SystemMessage(string content) => new() { ["role"] = "system", ["content"] = content };
}
