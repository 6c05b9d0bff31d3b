using System.Globalization;

namespace Rampart.Core.Targeting;

/// <summary>The kind of a unit attribute's value.</summary>
public enum AttributeKind
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A finite number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,
}

/// <summary>One unit attribute's value (docs/targeting.md): a string, a finite number or a boolean.</summary>
public readonly record struct AttributeValue
{
    private AttributeValue(AttributeKind kind, string? text, double number)
    {
        Kind = kind;
        Text = text;
        Number = number;
    }

    /// <summary>What the value is.</summary>
    public AttributeKind Kind { get; }

    /// <summary>The string, when <see cref="Kind"/> is <see cref="AttributeKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The number (1 or 0 for a boolean), when <see cref="Kind"/> is not a string.</summary>
    public double Number { get; }

    /// <summary>A string value.</summary>
    public static AttributeValue Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(AttributeKind.Text, text, 0);
    }

    /// <summary>A number value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="number"/> is not finite.</exception>
    public static AttributeValue Of(double number) =>
        double.IsFinite(number) ? new(AttributeKind.Number, null, number) : throw new ArgumentOutOfRangeException(nameof(number), number, "An attribute's number must be finite.");

    /// <summary>A boolean value.</summary>
    public static AttributeValue Of(bool value) => new(AttributeKind.Boolean, null, value ? 1 : 0);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        AttributeKind.Text => Text!,
        AttributeKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        _ => Number != 0 ? "true" : "false",
    };
}
