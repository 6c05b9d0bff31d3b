using System.Text.Json;

namespace Rampart.Core.Experiments;

/// <summary>An LLM configuration: the provider and model a variant is served by, and how it is called.</summary>
/// <param name="Provider">The configured provider's name (e.g. <c>openai</c>, <c>sim</c>).</param>
/// <param name="Model">The model to call.</param>
/// <param name="Temperature">The sampling temperature, or null for the provider's default.</param>
/// <param name="SystemPrompt">The system prompt put first in every call, or null to leave the caller's.</param>
/// <param name="MaxTokens">The most tokens to generate, or null for the provider's default.</param>
/// <param name="TopP">Nucleus sampling, or null for the provider's default.</param>
/// <param name="Params">Free-form extra parameters (a JSON object), or null.</param>
public sealed record VariantConfig(
    string Provider,
    string Model,
    double? Temperature = null,
    string? SystemPrompt = null,
    int? MaxTokens = null,
    double? TopP = null,
    JsonElement? Params = null);
