using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Rampart.Core.Events;
using Rampart.Llm.Providers;
using Rampart.Llm.Recording;

namespace Rampart.Llm.Middleware;

/// <summary>
/// Writes an <see cref="ExperimentChatClient"/> call's events to the sink: its completion once, however the call ends, and
/// never a failure into the call (a refused event is logged).
/// </summary>
internal sealed partial class CallEventWriter(IEventSink eventSink, ExperimentCallRecorder recorder, ILogger logger)
{
    /// <summary>Writes the call's completion, unless it has one already: only the first way a call ends is recorded.</summary>
    public async ValueTask CompleteAsync(ExperimentCall call, string? error, UsageDetails? usage, string? model, string? output, double? ttftMs)
    {
        if (!call.TryComplete())
        {
            return;
        }

        if (error == CancelledCall.Error)
        {
            LogCancelled(logger, call.Recorded.Experiment, call.Variant, call.RequestId);
        }
        else if (error is not null)
        {
            LogInnerFailed(logger, call.Recorded.Experiment, call.Variant, call.RequestId, error);
        }

        if (!call.Recorded.Records)
        {
            return;
        }

        var status = error switch { null => 200, CancelledCall.Error => 499, _ => 500 };
        var result = new ChatCallResult(status, error, usage?.InputTokenCount, usage?.OutputTokenCount, ttftMs, model, output);
        await WriteAsync(recorder.Completion(call.Recorded, result, call.Options.ModelId, call.CallerMessages)).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="e"/>; a sink that refuses it is logged, never thrown to the call.</summary>
    public async ValueTask WriteAsync(ExperimentEvent e)
    {
        try
        {
            // Not the caller's token: a call that finished should be recorded even if its caller has since gone away.
            await eventSink.WriteAsync(e, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A sink that refuses an event (a full queue) must not fail the chat call; the loss is logged, not silent.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            LogEventNotWritten(logger, e.Type, e.Experiment, e.RequestId, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment '{Experiment}' variant '{Variant}' request {RequestId} failed: {Error}")]
    private static partial void LogInnerFailed(ILogger logger, string experiment, string variant, string requestId, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Experiment '{Experiment}' variant '{Variant}' request {RequestId} was cancelled by its caller.")]
    private static partial void LogCancelled(ILogger logger, string experiment, string variant, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Type} event of experiment '{Experiment}' request {RequestId} could not be written.")]
    private static partial void LogEventNotWritten(ILogger logger, EventType type, string experiment, string? requestId, Exception exception);
}
