using System.Diagnostics.CodeAnalysis;

namespace Rampart.Llm.Providers;

/// <summary>Reads a provider's API key from its environment variable at the moment of the call; the key is never kept.</summary>
internal static class ApiKey
{
    /// <summary>False, with the problem in words, when a variable is named but not set; a null key means none is needed.</summary>
    public static bool TryRead(ProviderEndpoint endpoint, out string? key, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        key = null;
        if (endpoint.ApiKeyEnv is null)
        {
            return true;
        }

        key = Environment.GetEnvironmentVariable(endpoint.ApiKeyEnv);
        if (!string.IsNullOrEmpty(key))
        {
            return true;
        }

        key = null;
        problem = $"Environment variable '{endpoint.ApiKeyEnv}' (providers.{endpoint.Name}.api_key_env) is not set; set it to the provider's API key.";
        return false;
    }
}
