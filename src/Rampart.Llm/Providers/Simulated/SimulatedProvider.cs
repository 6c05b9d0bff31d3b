using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Core.Experiments;

namespace Rampart.Llm.Providers.Simulated;

/// <summary>
/// A built-in model for demos, simulations and tests (docs/providers.md, docs/api.md): latency lognormal around a median, failures and satisfied
/// users at configured rates, fixed token counts, all drawn from <see cref="ChatCall.Seed"/> so a call replays exactly.
/// It sleeps the latency only when <see cref="SimulationOptions.RealTime"/> is set (on the injected <see cref="TimeProvider"/>),
/// and always reports it as <see cref="ChatCallResult.SimulatedLatencyMs"/>.
/// </summary>
public sealed partial class SimulatedProvider : IChatProvider
{
    /// <summary>The name of the simulated provider that always exists.</summary>
    public const string DefaultName = "sim";

    /// <summary>The error of a simulated failure.</summary>
    public const string FailureMessage = "simulated failure";

    private readonly string name;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <summary>Creates the provider under <paramref name="name"/> (for messages).</summary>
    public SimulatedProvider(string name = DefaultName, TimeProvider? timeProvider = null, ILogger<SimulatedProvider>? logger = null)
    {
        this.name = name;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<SimulatedProvider>.Instance;
    }

    /// <inheritdoc />
    public async Task<ChatCallResult> SendAsync(ChatCall chatCall, IChatResponseWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chatCall);
        ArgumentNullException.ThrowIfNull(response);
        var sim = chatCall.Simulation ?? SimulationOptions.Default;
        var draw = SimulatedDraw.Make(chatCall.Seed, sim, chatCall.RequestKey);
        var model = JsonReading.String(chatCall.Body["model"]) ?? name;
        var untilAnswer = chatCall.Stream ? draw.TtftMs : draw.LatencyMs;
        ChatCallResult result;
        if (chatCall.Timeout > TimeSpan.Zero && untilAnswer > chatCall.Timeout.TotalMilliseconds)
        {
            await SleepAsync(sim, chatCall.Timeout.TotalMilliseconds, cancellationToken).ConfigureAwait(false);
            result = new ChatCallResult(504, $"Provider '{name}' did not answer within {DurationText.Format(chatCall.Timeout)} (simulated).",
                Model: model, SimulatedLatencyMs: chatCall.Timeout.TotalMilliseconds);
        }
        else if (draw.Failed)
        {
            await SleepAsync(sim, untilAnswer, cancellationToken).ConfigureAwait(false);
            result = new ChatCallResult(500, FailureMessage, Model: model, SimulatedLatencyMs: untilAnswer);
        }
        else
        {
            result = chatCall.Stream
                ? await StreamAsync(chatCall, sim, draw, model, response, cancellationToken).ConfigureAwait(false)
                : await AnswerAsync(chatCall, sim, draw, model, response, cancellationToken).ConfigureAwait(false);
        }

        LogSimulated(logger, name, result.StatusCode, result.SimulatedLatencyMs ?? 0);
        return result;
    }

    private async Task<ChatCallResult> AnswerAsync(ChatCall chatCall, SimulationOptions sim, SimulatedDraw draw, string model, IChatResponseWriter response, CancellationToken cancellationToken)
    {
        await SleepAsync(sim, draw.LatencyMs, cancellationToken).ConfigureAwait(false);
        var text = string.Concat(Pieces(model));
        var completion = OpenAiWire.Completion(Id(chatCall), Created(), model, text, "stop", sim.PromptTokens, sim.CompletionTokens, draw.Satisfied, sim.Quality);
        await response.WriteAnswerAsync(200, OpenAiWire.JsonContentType, completion, cancellationToken).ConfigureAwait(false);
        return new ChatCallResult(200, null, sim.PromptTokens, sim.CompletionTokens, null, model, text, draw.Satisfied, draw.LatencyMs, SimulatedQuality: sim.Quality);
    }

    private async Task<ChatCallResult> StreamAsync(ChatCall chatCall, SimulationOptions sim, SimulatedDraw draw, string model, IChatResponseWriter response, CancellationToken cancellationToken)
    {
        var id = Id(chatCall);
        var created = Created();
        var pieces = Pieces(model);
        var gap = (draw.LatencyMs - draw.TtftMs) / pieces.Length;
        await SleepAsync(sim, draw.TtftMs, cancellationToken).ConfigureAwait(false);
        await response.StartAsync(200, OpenAiWire.EventStreamContentType, cancellationToken).ConfigureAwait(false);
        await response.WriteAsync(OpenAiWire.Chunk(id, created, model, "assistant", "", null), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                await SleepAsync(sim, gap, cancellationToken).ConfigureAwait(false);
            }

            await response.WriteAsync(OpenAiWire.Chunk(id, created, model, null, pieces[i], null), cancellationToken).ConfigureAwait(false);
        }

        await SleepAsync(sim, gap, cancellationToken).ConfigureAwait(false);
        await response.WriteAsync(OpenAiWire.Chunk(id, created, model, null, null, "stop"), cancellationToken).ConfigureAwait(false);
        await response.WriteAsync(OpenAiWire.UsageChunk(id, created, model, sim.PromptTokens, sim.CompletionTokens, draw.Satisfied, sim.Quality), cancellationToken).ConfigureAwait(false);
        await response.WriteAsync(OpenAiWire.Done, cancellationToken).ConfigureAwait(false);
        return new ChatCallResult(200, null, sim.PromptTokens, sim.CompletionTokens, draw.TtftMs, model, string.Concat(pieces), draw.Satisfied, draw.LatencyMs, SimulatedQuality: sim.Quality);
    }

    private Task SleepAsync(SimulationOptions sim, double milliseconds, CancellationToken cancellationToken) =>
        sim.RealTime && milliseconds > 0
            ? Task.Delay(TimeSpan.FromMilliseconds(milliseconds), timeProvider, cancellationToken)
            : Task.CompletedTask;

    private long Created() => timeProvider.GetUtcNow().ToUnixTimeSeconds();

    private static string Id(ChatCall chatCall) => $"chatcmpl-sim-{chatCall.Seed:x16}";

    /// <summary>The text of every simulated answer from <paramref name="model"/>.</summary>
    public static string AnswerText(string model) => string.Concat(Pieces(model));

    private static string[] Pieces(string model) => ["This is ", "a simulated ", "answer from ", model + "."];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Provider '{Provider}' simulated {StatusCode} in {LatencyMs:F0} ms.")]
    private static partial void LogSimulated(ILogger logger, string provider, int statusCode, double latencyMs);
}
