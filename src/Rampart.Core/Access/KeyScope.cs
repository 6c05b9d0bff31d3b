namespace Rampart.Core.Access;

/// <summary>What a key may do (docs/providers.md, docs/api.md). <see cref="Admin"/> may do everything the other two may.</summary>
public enum KeyScope
{
    /// <summary>Results and experiment state: read only.</summary>
    Read,

    /// <summary>The data plane: the gateway, assignments, events and feedback.</summary>
    Ingest,

    /// <summary>The control plane, and everything <see cref="Ingest"/> and <see cref="Read"/> may do.</summary>
    Admin,
}
