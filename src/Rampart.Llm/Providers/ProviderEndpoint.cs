namespace Rampart.Llm.Providers;

/// <summary>Where an HTTP provider sends its calls.</summary>
/// <param name="Name">The provider's configured name (e.g. <c>openai</c>), for messages and logs.</param>
/// <param name="BaseUrl">The API's base URL, e.g. <c>https://api.openai.com/v1</c> or <c>https://api.anthropic.com</c>.</param>
/// <param name="ApiKeyEnv">
/// The environment variable holding the API key, read at every call and never stored, logged or returned; null sends no key
/// (a local vLLM, Ollama or llama.cpp).
/// </param>
public sealed record ProviderEndpoint(string Name, Uri BaseUrl, string? ApiKeyEnv = null)
{
    /// <summary>The base URL joined with <paramref name="path"/> (no slash doubled, none lost).</summary>
    public Uri Resolve(string path) => new(BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/'));
}
