using System.Text.Json.Nodes;
using Rampart.Core.Experiments;
using Rampart.Llm.Providers.Simulated;
using Rampart.Llm.Variants;

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
public sealed record ChatCall(JsonObject Body, bool Stream, TimeSpan Timeout, ulong Seed = 0, SimulationOptions? Simulation = null, string? RequestKey = null)
{
    private JsonObject? body = Body;
    private JsonObject? callerBody;
    private VariantConfig? variant;

    /// <summary>A call of <paramref name="variant"/> on the caller's <paramref name="callerBody"/>, whose <see cref="Body"/> is made only if read.</summary>
    internal ChatCall(JsonObject callerBody, VariantConfig variant, bool stream, TimeSpan timeout, ulong seed, SimulationOptions? simulation, string? requestKey)
        : this(null!, stream, timeout, seed, simulation, requestKey)
    {
        this.callerBody = callerBody;
        this.variant = variant;
    }

    /// <summary>The OpenAI-format request body with the variant applied (model, temperature, system prompt, params).</summary>
    public JsonObject Body
    {
        get => body ??= VariantRequest.Apply(callerBody!, variant!);
        init
        {
            body = value;
            (callerBody, variant) = (null, null);
        }
    }

    /// <summary>
    /// The caller's body and the variant, while <see cref="Body"/> has not been made from them (once read, it may have been
    /// changed, so it counts): an OpenAI-compatible provider writes its wire body from these in one pass
    /// (<see cref="VariantWireBody"/>) rather than copying the tree.
    /// </summary>
    internal (JsonObject Body, VariantConfig Variant)? Unapplied => body is null && callerBody is not null && variant is not null ? (callerBody, variant) : null;
}
