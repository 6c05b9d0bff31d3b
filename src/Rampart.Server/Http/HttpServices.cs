namespace Rampart.Server.Http;

/// <summary>What every API area's errors share: problem details.</summary>
internal static class HttpServices
{
    /// <summary>Adds problem details for every error the endpoints do not answer themselves.</summary>
    public static IServiceCollection AddRampartHttp(this IServiceCollection services) => services.AddProblemDetails();
}
