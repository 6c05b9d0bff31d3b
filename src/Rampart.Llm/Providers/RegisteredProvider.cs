namespace Rampart.Llm.Providers;

/// <summary>A configured provider, ready to call.</summary>
/// <param name="Name">Its name in the configuration (what a variant's <c>provider</c> names).</param>
/// <param name="Type"><c>openai</c>, <c>anthropic</c> or <c>simulated</c>.</param>
/// <param name="Provider">The provider itself.</param>
/// <param name="Timeout">The timeout to put in its <see cref="ChatCall"/>s.</param>
public sealed record RegisteredProvider(string Name, string Type, IChatProvider Provider, TimeSpan Timeout);
