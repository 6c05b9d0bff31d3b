using System.Globalization;
using Rampart.Core.Experiments;

namespace Rampart.Server.Configuration;

/// <summary>
/// Reads values from configuration, naming every key it cannot use (<c>server.max_body_bytes must be a whole number from
/// 1024 to 1073741824; got 'abc'</c>) in <see cref="Problems"/> and keeping the default for it.
/// </summary>
internal sealed class SettingReader(IConfiguration configuration)
{
    /// <summary>The configuration read.</summary>
    public IConfiguration Configuration => configuration;

    /// <summary>Every problem found so far, each naming its key.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The raw value at <paramref name="key"/> (<c>section:key</c>), or null when unset.</summary>
    public string? this[string key] => configuration[key];

    /// <summary>Adds a problem for each key of <paramref name="section"/> that is not one of <paramref name="keys"/>.</summary>
    public void CheckKeys(string section, params string[] keys)
    {
        foreach (var child in configuration.GetSection(section).GetChildren())
        {
            if (!keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                Problems.Add($"{section}.{child.Key} is not a setting; {section} has {string.Join(", ", keys.Select(k => $"{section}.{k}"))}.");
            }
        }
    }

    /// <summary>The whole number at <paramref name="key"/> from <paramref name="min"/> to <paramref name="max"/>, or a problem naming the key.</summary>
    public long Whole(string key, long fallback, long min, long max)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Problems.Add($"{Name(key)} must be a whole number from {min} to {max}; got '{text}'.");
        return fallback;
    }

    /// <summary>The <c>true</c> or <c>false</c> at <paramref name="key"/>, or a problem naming the key.</summary>
    public bool Flag(string key, bool fallback)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Problems.Add($"{Name(key)} must be true or false; got '{text}'.");
        return fallback;
    }

    /// <summary>The positive duration at <paramref name="key"/>, or a problem naming the key.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback) =>
        Duration(key, fallback, TimeSpan.FromTicks(1), TimeSpan.MaxValue, "such as '500ms', '1s' or '1m'");

    /// <summary>The duration at <paramref name="key"/> from <paramref name="min"/> to <paramref name="max"/>, or a problem naming the key.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max, string expected)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (DurationText.TryParse(text, out var duration, allowZero: min == TimeSpan.Zero) && duration >= min && duration <= max)
        {
            return duration;
        }

        Problems.Add($"{Name(key)} must be a duration {expected}; got '{text}'.");
        return fallback;
    }

    /// <summary>How a key is named in messages: <c>events.max_batch</c>, as in <c>rampart.json</c>.</summary>
    public static string Name(string key) => key.Replace(':', '.');
}
