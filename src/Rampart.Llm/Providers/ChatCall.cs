using System.Text.Json.Nodes;
using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Providers;

/// <summary>One chat completion call as the gateway forwards it.</summary>
/// <param name="Body">The OpenAI-format request body with the variant applied (model, temperature, system prompt, params).</param>
/// <param name="Stream">True when the caller asked for server-sent events.</param>
/// <param name="Timeout">How long the upstream may take before the call fails with 504.</param>
/// <param name="Seed">Deterministic randomness for the simulated provider (e.g. a hash of the request id).</param>
/// <param name="Simulation">
/// The variant's <c>params.sim</c> for the simulated provider (null: its defaults); other providers ignore it, so it never
/// reaches a real upstream's wire body. <see cref="Variants.VariantRequest.CreateCall"/> fills it.
/// </param>
/// <param name="RequestKey">
/// The request this call answers, for the simulated provider's per-request latency (<c>params.sim.request_sigma</c>): the
/// request id of a served call, the served call's (the pair id) for its shadow calls, so both answers of a pair share it;
/// null: the call is its own request. Other providers ignore it.
/// </param>
public sealed record ChatCall(JsonObject Body, bool Stream, TimeSpan Timeout, ulong Seed = 0, SimulationOptions? Simulation = null, string? RequestKey = null);
