using Rampart.Core.Access;

namespace Rampart.Server.Access;

/// <summary>Endpoint metadata: the scope a key needs to call the endpoint (an admin key may call every endpoint).</summary>
/// <param name="Scopes">The scopes that grant access; a key holding any of them (or admin) passes.</param>
public sealed record RequiredScope(params KeyScope[] Scopes)
{
    /// <summary>True when a key of scope <paramref name="held"/> passes.</summary>
    public bool IsGrantedTo(KeyScope held) => Scopes.Any(required => held.Grants(required));

    /// <summary>The scopes in words (<c>ingest or read</c>).</summary>
    public override string ToString() => string.Join(" or ", Scopes.Select(s => s.Name()).Append("admin").Distinct());
}
