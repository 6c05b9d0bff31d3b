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
internal sealed partial class CallEventWriter(IEventSink eventSink, ExperimentCallRecorder recorder, TimeProvider time, ILogger logger)
{
    // A sink refusing events refuses them all (a full upload queue during an outage): the first few of each minute are
    // logged with their exception, the rest counted and told in one line (at the next minute's first refusal, or when the
    // sink takes events again), so an app serving thousands of calls a second does not write thousands of stack traces a second.
    private const int LoggedPerWindow = 10;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock refusals = new();
    private long windowStart = long.MinValue;
    private int inWindow;
    private long unlogged;

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
            if (Volatile.Read(ref unlogged) > 0)
            {
                TellUnlogged();   // the sink takes events again: the refusals not logged one by one are told now
            }
        }
#pragma warning disable CA1031 // A sink that refuses an event (a full queue) must not fail the chat call; the loss is logged, not silent.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            Refused(e, failure);
        }
    }

    private void Refused(ExperimentEvent e, Exception failure)
    {
        long summarised;
        bool logged;
        lock (refusals)
        {
            summarised = 0;
            var now = time.GetTimestamp();
            if (windowStart == long.MinValue || time.GetElapsedTime(windowStart, now) >= Window)
            {
                (summarised, unlogged, windowStart, inWindow) = (unlogged, 0, now, 0);
            }

            logged = inWindow++ < LoggedPerWindow;
            if (!logged)
            {
                unlogged++;
            }
        }

        if (summarised > 0)
        {
            LogEventsNotWritten(logger, summarised);
        }

        if (logged)
        {
            LogEventNotWritten(logger, e.Type, e.Experiment, e.RequestId, failure);
        }
    }

    private void TellUnlogged()
    {
        long count;
        lock (refusals)
        {
            (count, unlogged) = (unlogged, 0);
        }

        if (count > 0)
        {
            LogEventsNotWritten(logger, count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} more events could not be written (the first ones of each minute were logged with why).")]
    private static partial void LogEventsNotWritten(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment '{Experiment}' variant '{Variant}' request {RequestId} failed: {Error}")]
    private static partial void LogInnerFailed(ILogger logger, string experiment, string variant, string requestId, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Experiment '{Experiment}' variant '{Variant}' request {RequestId} was cancelled by its caller.")]
    private static partial void LogCancelled(ILogger logger, string experiment, string variant, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Type} event of experiment '{Experiment}' request {RequestId} could not be written.")]
    private static partial void LogEventNotWritten(ILogger logger, EventType type, string experiment, string? requestId, Exception exception);
}
