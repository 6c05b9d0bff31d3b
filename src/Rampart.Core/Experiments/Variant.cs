namespace Rampart.Core.Experiments;

/// <summary>One of an experiment's variants: its name and its LLM configuration.</summary>
/// <param name="Name">The variant's name, unique in its experiment.</param>
/// <param name="Config">How the variant calls its model.</param>
public sealed record Variant(string Name, VariantConfig Config);
