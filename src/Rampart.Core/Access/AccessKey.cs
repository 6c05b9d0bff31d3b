using System.Collections.Immutable;

namespace Rampart.Core.Access;

/// <summary>A stored API key: never the key itself, only its SHA-256 hash (see <see cref="AccessKeys"/>).</summary>
/// <param name="Id">A random identifier of the stored row.</param>
/// <param name="Name">Who uses it; audit entries record changes made with it under this name.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="Hash">SHA-256 of the key's UTF-8 text (32 bytes).</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record AccessKey(string Id, string Name, KeyScope Scope, ImmutableArray<byte> Hash, DateTimeOffset CreatedAt);
