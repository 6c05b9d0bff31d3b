using Rampart.Server.Configuration;

namespace Rampart.Server.Results;

/// <summary>Reads <see cref="CheckpointOptions"/> from the <c>checkpoints</c> section.</summary>
internal sealed class CheckpointOptionsSetup(IConfiguration configuration) : SettingsSetup<CheckpointOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(CheckpointOptions options, SettingReader reader)
    {
        reader.CheckKeys("checkpoints", "every_events", "min_interval", "keep");
        options.EveryEvents = reader.Whole("checkpoints:every_events", options.EveryEvents, 0, 1L << 40);
        options.MinInterval = reader.Duration("checkpoints:min_interval", options.MinInterval, TimeSpan.Zero, TimeSpan.FromDays(1), "from '0s' to '1d'");
        options.Keep = (int)reader.Whole("checkpoints:keep", options.Keep, 1, 10);
    }
}
