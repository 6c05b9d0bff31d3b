using System.Globalization;
using Microsoft.Extensions.Options;
using Rampart.Core.Access;
using Rampart.Llm.Pricing;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Server.Configuration;

/// <summary>
/// Reads <see cref="ServerSettings"/> from configuration, naming every key it cannot use (<c>server.max_body_bytes must be
/// a whole number from 1024 to 1073741824; got 'abc'</c>), and fails validation at start while there is one.
/// </summary>
internal sealed class ServerSettingsSetup(IConfiguration configuration) : IConfigureOptions<ServerSettings>, IValidateOptions<ServerSettings>
{
    /// <summary>The environment variable holding the admin key to create at first start.</summary>
    public const string AdminKeyVariable = "RAMPART_ADMIN_KEY";

    /// <summary>The fewest characters <c>RAMPART_ADMIN_KEY</c> may have: the admin key can do everything, so a short, guessable one is refused.</summary>
    public const int AdminKeyMinimumLength = 32;

    private static readonly Dictionary<string, string[]> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["storage"] = ["sqlite", "postgres"],
        ["server"] = ["max_body_bytes"],
        ["events"] = ["queue_capacity", "max_batch", "retry_after_seconds", "gateway_linger", "journal_path", "journal_max_bytes"],
        ["gateway"] = ["default_provider", "max_response_bytes", "max_stream_line_bytes", "max_error_body_bytes", "max_stored_output_chars"],
        ["feedback"] = ["pending_ttl", "max_pending", "max_pending_bytes"],
        ["alerts"] = ["webhooks", "retry_initial", "retry_max", "max_attempts", "timeout", "queue_capacity"],
    };

    /// <inheritdoc />
    public void Configure(ServerSettings options)
    {
        var problems = options.Problems;
        foreach (var (section, keys) in KnownKeys)
        {
            foreach (var child in configuration.GetSection(section).GetChildren())
            {
                if (!keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{section}.{child.Key} is not a setting; {section} has {string.Join(", ", keys.Select(k => $"{section}.{k}"))}.");
                }
            }
        }

        var sqlite = configuration["storage:sqlite"];
        if (sqlite is not null)
        {
            if (string.IsNullOrWhiteSpace(sqlite))
            {
                problems.Add("storage.sqlite must name a database file (or give --db PATH).");
            }
            else
            {
                options.SqlitePath = sqlite;
            }
        }

        ReadPostgres(options, sqlite is not null, problems);

        options.MaxBodyBytes = Whole("server:max_body_bytes", options.MaxBodyBytes, 1024, 1L << 30, problems);
        options.QueueCapacity = (int)Whole("events:queue_capacity", options.QueueCapacity, 1, 10_000_000, problems);
        options.MaxBatch = (int)Whole("events:max_batch", options.MaxBatch, 1, 100_000, problems);
        options.RetryAfterSeconds = (int)Whole("events:retry_after_seconds", options.RetryAfterSeconds, 1, 3600, problems);

        ReadJournal(options, problems);
        options.GatewayLinger = Duration("events:gateway_linger", options.GatewayLinger, TimeSpan.Zero, TimeSpan.FromMilliseconds(50), "from '0ms' to '50ms'", problems);
        options.PendingFeedbackTtl = Duration("feedback:pending_ttl", options.PendingFeedbackTtl, TimeSpan.FromTicks(1), TimeSpan.MaxValue, "such as '12h' or '7d'", problems);

        options.MaxPendingFeedback = (int)Whole("feedback:max_pending", options.MaxPendingFeedback, 1, 10_000_000, problems);
        options.MaxPendingFeedbackBytes = Whole("feedback:max_pending_bytes", options.MaxPendingFeedbackBytes, 64 * 1024, 1L << 32, problems);
        options.MaxResponseBytes = Whole("gateway:max_response_bytes", options.MaxResponseBytes, 1024, 1L << 30, problems);
        options.MaxStreamLineBytes = (int)Whole("gateway:max_stream_line_bytes", options.MaxStreamLineBytes, 1024, 1 << 26, problems);
        options.MaxErrorBodyBytes = (int)Whole("gateway:max_error_body_bytes", options.MaxErrorBodyBytes, 1024, 1 << 24, problems);
        options.MaxStoredOutputChars = (int)Whole("gateway:max_stored_output_chars", options.MaxStoredOutputChars, 1024, 1 << 26, problems);

        ReadProviders(options, problems);
        ReadPricing(options, problems);
        ReadAlerts(options.Alerts, problems);

        var defaultProvider = configuration["gateway:default_provider"];
        options.DefaultProvider = defaultProvider ?? (options.Providers.ContainsKey(ProviderOptions.OpenAiType) ? ProviderOptions.OpenAiType : SimulatedProvider.DefaultName);
        if (options.DefaultProvider != SimulatedProvider.DefaultName && !options.Providers.ContainsKey(options.DefaultProvider))
        {
            problems.Add($"gateway.default_provider '{options.DefaultProvider}' is not a configured provider; name one of providers ({string.Join(", ", options.Providers.Keys.Append(SimulatedProvider.DefaultName).Distinct())}).");
        }

        var adminKey = configuration[AdminKeyVariable];
        if (!string.IsNullOrEmpty(adminKey))
        {
            if (adminKey.Length < AdminKeyMinimumLength)
            {
                problems.Add($"{AdminKeyVariable} is too weak: it has {adminKey.Length} characters and an admin key needs at least {AdminKeyMinimumLength}; " +
                    "set a long random one (`openssl rand -hex 24`), or unset it to have a key generated and printed once.");
            }
            else if (AccessKeys.Problem(adminKey) is { } problem)
            {
                problems.Add($"{AdminKeyVariable} is unusable: {problem}.");
            }
            else
            {
                options.AdminKey = adminKey;
            }
        }
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ServerSettings options) =>
        options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);

    private long Whole(string key, long fallback, long min, long max, List<string> problems)
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

        problems.Add($"{key.Replace(':', '.')} must be a whole number from {min} to {max}; got '{text}'.");
        return fallback;
    }

    private void ReadJournal(ServerSettings options, List<string> problems)
    {
        options.JournalPath = options.PostgresConnectionString is null ? options.SqlitePath + ServerSettings.JournalSuffix : ServerSettings.PostgresJournal;
        var path = configuration["events:journal_path"];
        if (path is not null)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add("events.journal_path must name a file (the local journal events are kept in while the store fails), such as '/var/lib/rampart/events.journal'.");
            }
            else
            {
                options.JournalPath = path;
                options.JournalPathIsDefault = false;
            }
        }

        options.JournalMaxBytes = Whole("events:journal_max_bytes", options.JournalMaxBytes, 64 * 1024, 1L << 40, problems);
    }

    private void ReadPostgres(ServerSettings options, bool sqliteGiven, List<string> problems)
    {
        var postgres = configuration["storage:postgres"];
        if (postgres is null)
        {
            return;
        }

        if (sqliteGiven)
        {
            problems.Add("storage.sqlite (--db) and storage.postgres (--postgres) are both set; give one: SQLite for one server, PostgreSQL for several.");
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            if (string.IsNullOrWhiteSpace(postgres))
            {
                problems.Add("storage.postgres must be an Npgsql connection string such as 'Host=db;Database=rampart;Username=rampart' (or give --postgres).");
            }
            else
            {
                options.PostgresConnectionString = postgres;
            }
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never the password.
            problems.Add($"storage.postgres is not a valid Npgsql connection string: {e.Message}");
        }
    }

    private void ReadAlerts(AlertSettings alerts, List<string> problems)
    {
        var webhooks = configuration.GetSection("alerts:webhooks");
        if (webhooks.Value is not null)
        {
            problems.Add($"alerts.webhooks must be a list of URLs such as [\"http://127.0.0.1:9000/hook\"]; got '{webhooks.Value}'.");
        }

        foreach (var entry in webhooks.GetChildren())
        {
            if (Uri.TryCreate(entry.Value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                alerts.Webhooks.Add(url);
            }
            else
            {
                problems.Add($"alerts.webhooks[{entry.Key}] must be an http or https URL; got '{entry.Value}'.");
            }
        }

        alerts.RetryInitial = Duration("alerts:retry_initial", alerts.RetryInitial, problems);
        alerts.RetryMax = Duration("alerts:retry_max", alerts.RetryMax, problems);
        alerts.Timeout = Duration("alerts:timeout", alerts.Timeout, problems);
        alerts.MaxAttempts = (int)Whole("alerts:max_attempts", alerts.MaxAttempts, 1, 100, problems);
        alerts.QueueCapacity = (int)Whole("alerts:queue_capacity", alerts.QueueCapacity, 1, 1_000_000, problems);
        if (alerts.RetryMax < alerts.RetryInitial)
        {
            problems.Add($"alerts.retry_max ({Rampart.Core.Experiments.DurationText.Format(alerts.RetryMax)}) must not be shorter than alerts.retry_initial ({Rampart.Core.Experiments.DurationText.Format(alerts.RetryInitial)}).");
        }
    }

    private TimeSpan Duration(string key, TimeSpan fallback, List<string> problems) =>
        Duration(key, fallback, TimeSpan.FromTicks(1), TimeSpan.MaxValue, "such as '500ms', '1s' or '1m'", problems);

    /// <summary>The duration at <paramref name="key"/> from <paramref name="min"/> to <paramref name="max"/>, or a problem naming the key.</summary>
    private TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max, string expected, List<string> problems)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (Rampart.Core.Experiments.DurationText.TryParse(text, out var duration, allowZero: min == TimeSpan.Zero) && duration >= min && duration <= max)
        {
            return duration;
        }

        problems.Add($"{key.Replace(':', '.')} must be a duration {expected}; got '{text}'.");
        return fallback;
    }

    private void ReadProviders(ServerSettings options, List<string> problems)
    {
        foreach (var entry in configuration.GetSection("providers").GetChildren())
        {
            var provider = new ProviderOptions
            {
                Type = entry["type"],
                BaseUrl = entry["base_url"],
                ApiKeyEnv = entry["api_key_env"],
                Timeout = entry["timeout"],
            };
            options.Providers[entry.Key] = provider;
        }

        problems.AddRange(ProviderRegistry.Validate(options.Providers));
    }

    private void ReadPricing(ServerSettings options, List<string> problems)
    {
        foreach (var entry in configuration.GetSection("pricing").GetChildren())
        {
            var price = new ModelPriceOptions
            {
                InputPer1K = Decimal(entry["input_per_1k"]),
                OutputPer1K = Decimal(entry["output_per_1k"]),
            };
            var found = price.Validate(entry.Key);
            problems.AddRange(found);
            if (found.Count == 0)
            {
                options.Pricing[entry.Key] = price.ToPrice();
            }
        }
    }

    private static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
