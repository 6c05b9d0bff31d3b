namespace Rampart.Server.Access;

/// <summary>Access settings (docs/configuration.md): the admin key to create at first start.</summary>
public sealed class AccessOptions
{
    /// <summary>The environment variable holding the admin key to create at first start.</summary>
    public const string AdminKeyVariable = "RAMPART_ADMIN_KEY";

    /// <summary>The fewest characters <c>RAMPART_ADMIN_KEY</c> may have: the admin key can do everything, so a short, guessable one is refused.</summary>
    public const int AdminKeyMinimumLength = 32;

    /// <summary>The admin key to create at first start (<c>RAMPART_ADMIN_KEY</c>), or null to generate one.</summary>
    /// <value>Default: null.</value>
    public string? AdminKey { get; set; }
}
