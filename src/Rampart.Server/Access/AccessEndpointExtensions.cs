using Rampart.Core.Access;

namespace Rampart.Server.Access;

/// <summary>Declares who may call an endpoint: <c>.RequireScope(KeyScope.Ingest)</c>, or <c>.AllowAnonymous()</c> for none.</summary>
public static class AccessEndpointExtensions
{
    /// <summary>Only keys holding one of <paramref name="scopes"/> (or admin) may call these endpoints.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params KeyScope[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scopes));
}
