using System.Diagnostics.CodeAnalysis;

namespace Rampart.Core.Access;

/// <summary>The scopes' names (<c>admin</c>, <c>ingest</c>, <c>read</c>) and what each grants.</summary>
public static class KeyScopes
{
    /// <summary>True when a key of scope <paramref name="held"/> may do what <paramref name="required"/> allows.</summary>
    public static bool Grants(this KeyScope held, KeyScope required) => held == KeyScope.Admin || held == required;

    /// <summary>The scope's lowercase name.</summary>
    public static string Name(this KeyScope scope) => scope switch
    {
        KeyScope.Admin => "admin",
        KeyScope.Ingest => "ingest",
        _ => "read",
    };

    /// <summary>Reads a scope's name (<c>admin</c>, <c>ingest</c> or <c>read</c>, any case).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out KeyScope? scope)
    {
        scope = text?.ToLowerInvariant() switch
        {
            "admin" => KeyScope.Admin,
            "ingest" => KeyScope.Ingest,
            "read" => KeyScope.Read,
            _ => null,
        };
        return scope is not null;
    }
}
