using System.Globalization;
using Microsoft.Extensions.AI;
using Rampart.Core.Events;
using Rampart.Core.Targeting;

namespace Rampart.Llm.Middleware;

/// <summary>
/// What a caller gives <see cref="ExperimentChatClient"/> in <see cref="ChatOptions.AdditionalProperties"/> besides the unit:
/// the unit's attributes and its own request id, each refused with an <see cref="ArgumentException"/> naming the problem
/// before the call writes any event.
/// </summary>
internal static class CallerOptions
{
    // The caller's attributes (docs/targeting.md): a UnitAttributes as given, or a dictionary of strings, numbers and booleans;
    // a value of another kind is the caller's bug, thrown as an ArgumentException naming it.
    public static UnitAttributes Attributes(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(ExperimentChatClient.AttributesPropertyName, out var given) != true || given is null)
        {
            return UnitAttributes.None;
        }

        if (given is UnitAttributes attributes)
        {
            return attributes;
        }

        if (given is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{ExperimentChatClient.AttributesPropertyName}\"] must be a UnitAttributes or a dictionary of attribute names to values.", nameof(options));
        }

        return UnitAttributes.From(pairs.Select(p => new KeyValuePair<string, AttributeValue>(
            p.Key, Value(p.Value) ?? throw new ArgumentException(Problem(p.Key, p.Value), nameof(options)))));
    }

    // The server refuses an event whose request_id is longer than EventLimits.MaxIdLength, so the call's events would all be
    // lost: the caller's bug, thrown as the attributes' are, before any event is written.
    public static string? RequestId(ChatOptions? options)
    {
        var id = options?.AdditionalProperties?.TryGetValue(ExperimentChatClient.RequestIdPropertyName, out var given) == true ? given?.ToString() : null;
        return id is { Length: > EventLimits.MaxIdLength }
            ? throw new ArgumentException(
                $"ChatOptions.AdditionalProperties[\"{ExperimentChatClient.RequestIdPropertyName}\"] is {id.Length} characters; a request id is at most {EventLimits.MaxIdLength}.", nameof(options))
            : id;
    }

    // A DateTime or DBNull is IConvertible but no number (Convert throws InvalidCastException), and a NaN would reach
    // AttributeValue.Of's message without the attribute's name: both are refused here, named by Problem.
    private static AttributeValue? Value(object? value) => value switch
    {
        string text => AttributeValue.Of(text),
        bool flag => AttributeValue.Of(flag),
        IConvertible number and not (char or DateTime or DBNull)
            when Convert.ToDouble(number, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) => AttributeValue.Of(d),
        _ => null,
    };

    private static string Problem(string name, object? value) => value is IConvertible number and not (string or bool or char or DateTime or DBNull)
        ? $"Attribute '{name}' is {Convert.ToDouble(number, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}: a number must be finite."
        : $"Attribute '{name}' must be a string, a number or a boolean.";
}
