using System.Text.Json;
using Microsoft.Extensions.AI;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Middleware;

/// <summary>The in-process counterpart of <see cref="Variants.VariantRequest"/>: a variant applied to messages and <see cref="ChatOptions"/>.</summary>
internal static class VariantChatRequest
{
    /// <summary>
    /// New messages and options (the caller's are not changed): model, temperature, top-p and max output tokens from the
    /// variant; its system prompt replacing the first system message or inserted first; its params (except <c>sim</c> and
    /// <c>stream</c>) in <see cref="ChatOptions.AdditionalProperties"/>.
    /// </summary>
    public static (List<ChatMessage> Messages, ChatOptions Options) Apply(IEnumerable<ChatMessage> messages, ChatOptions? options, VariantConfig variant)
    {
        var list = messages.ToList();
        if (variant.SystemPrompt is { } systemPrompt)
        {
            var index = list.FindIndex(m => m.Role == ChatRole.System);
            var message = new ChatMessage(ChatRole.System, systemPrompt);
            if (index >= 0)
            {
                list[index] = message;
            }
            else
            {
                list.Insert(0, message);
            }
        }

        var applied = options?.Clone() ?? new ChatOptions();
        applied.ModelId = variant.Model;
        if (variant.Temperature is { } temperature)
        {
            applied.Temperature = (float)temperature;
        }

        if (variant.TopP is { } topP)
        {
            applied.TopP = (float)topP;
        }

        if (variant.MaxTokens is { } maxTokens)
        {
            applied.MaxOutputTokens = maxTokens;
        }

        if (variant.Params is { ValueKind: JsonValueKind.Object } parameters)
        {
            applied.AdditionalProperties ??= [];
            foreach (var field in parameters.EnumerateObject())
            {
                if (field.Name is not (SimulationOptions.ParamsKey or "stream"))
                {
                    applied.AdditionalProperties[field.Name] = ToValue(field.Value);
                }
            }
        }

        return (list, applied);
    }

    /// <summary>Strings, booleans and numbers as plain .NET values (what chat clients expect); objects and arrays as JSON.</summary>
    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Null => null,
        _ => value.Clone(),
    };
}
