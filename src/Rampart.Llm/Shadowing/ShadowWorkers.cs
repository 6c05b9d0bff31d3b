using System.Collections.Immutable;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rampart.Core.Alerts;
using Rampart.Core.Events;
using Rampart.Llm.Providers;
using Rampart.Llm.Providers.Simulated;
using Rampart.Llm.Recording;
using Rampart.Llm.Variants;

namespace Rampart.Llm.Shadowing;

/// <summary>
/// The workers that make the shadow calls waiting in a <see cref="ShadowBacklog"/> (docs/shadow.md): each call checks the
/// variant's daily budget (a spent one is skipped, counted, and alerted once a day), applies the variant to the caller's
/// body as the gateway does, calls its provider without streaming, and hands the shadow completion (failed calls included)
/// to the store given. Nothing here ever reaches the caller: a failure is an event with its error, counted and logged.
/// </summary>
public sealed partial class ShadowWorkers
{
    /// <summary>The alert <see cref="Alert.Kind"/> sent when a shadow variant has spent its day's budget.</summary>
    public const string BudgetAlertKind = "shadow_budget";

    private readonly ShadowBacklog queue;
    private readonly ProviderRegistry providers;
    private readonly ExperimentCallRecorder recorder;
    private readonly ShadowBudget budget;
    private readonly ShadowMetrics metrics;
    private readonly IAlertSink alerts;
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;
    private readonly Func<ExperimentEvent, ValueTask<string?>> store;
    private readonly ILogger logger;

    /// <summary>Workers taking from <paramref name="queue"/> and calling the shadow variants' providers.</summary>
    /// <param name="queue">Where the sampled requests wait.</param>
    /// <param name="providers">The configured providers.</param>
    /// <param name="recorder">Records the shadow completion as any call's (ids, cost, content logging, judges).</param>
    /// <param name="budget">Each shadow variant's daily spend.</param>
    /// <param name="metrics">Counts calls, skips, failures and cost.</param>
    /// <param name="alerts">Told once a day per variant that shadowing stopped for the budget.</param>
    /// <param name="time">The clock of the timeouts and alerts.</param>
    /// <param name="timeout">The most one shadow call may take (the provider's own timeout applies when shorter).</param>
    /// <param name="store">Takes a shadow completion; gives null when it took it, else why not.</param>
    /// <param name="logger">Logs failures as warnings.</param>
    public ShadowWorkers(
        ShadowBacklog queue, ProviderRegistry providers, ExperimentCallRecorder recorder, ShadowBudget budget, ShadowMetrics metrics,
        IAlertSink alerts, TimeProvider time, TimeSpan timeout, Func<ExperimentEvent, ValueTask<string?>> store, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        (this.queue, this.providers, this.recorder, this.budget, this.metrics) = (queue, providers, recorder, budget, metrics);
        (this.alerts, this.time, this.timeout, this.store, this.logger) = (alerts, time, timeout, store, logger);
    }

    /// <summary>Makes queued calls, <paramref name="concurrency"/> at a time, until the queue completes or <paramref name="stoppingToken"/> is cancelled (queued work is then dropped).</summary>
    public Task RunAsync(int concurrency, CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));

    /// <summary>Makes one shadow call and hands its completion to the store; false when the budget skipped it.</summary>
    public async Task<bool> CallAsync(ShadowWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (key, variant) = (work.Experiment.Key, work.Variant);
        if (!budget.TryStart(key, variant.Name, work.Shadow.MaxCostUsdPerDay, out var firstToday))
        {
            metrics.Skipped(key, variant.Name, ShadowMetrics.Budget);
            if (firstToday)
            {
                BudgetSpent(work);
            }

            return false;
        }

        var body = JsonNode.Parse(work.Body.Span) as JsonObject ?? [];
        var call = recorder.BeginShadow(work.Experiment, work.Served, variant);
        metrics.Call(key, variant.Name);
        var result = await SendAsync(variant.Config, body, call.RequestId, work.Served.RequestId, cancellationToken).ConfigureAwait(false);
        var completion = recorder.Completion(call, result, variant.Config.Model, body["messages"]);
        if (completion.CostUsd is { } cost)
        {
            budget.Add(key, variant.Name, cost);
            metrics.Cost(key, variant.Name, cost);
        }

        if (completion.Error is not null)
        {
            Failed(work, call.RequestId, result.Detail ?? completion.Error);
        }

        if (await store(completion).ConfigureAwait(false) is { } refused)
        {
            metrics.Unstored(key, variant.Name);
            LogNotStored(logger, call.RequestId, key, variant.Name, refused);
        }

        recorder.OfferPreference(call, result, body["messages"], work.ServedOutput, work.ServedQuality);

        return true;
    }

    private async Task<ChatCallResult> SendAsync(Core.Experiments.VariantConfig variant, JsonObject body, string requestId, string pairId, CancellationToken cancellationToken)
    {
        if (!providers.TryGet(variant.Provider, out var provider))
        {
            return new ChatCallResult(502, $"Provider '{variant.Provider}' of the shadow variant is not configured; add it to the configuration's providers.");
        }

        // Never streamed, whatever the caller asked: nobody reads the shadow answer as it comes.
        var applied = VariantRequest.Apply(body, variant);
        applied.Remove("stream");
        applied.Remove("stream_options");
        var limit = provider.Timeout < timeout ? provider.Timeout : timeout;
        var seed = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(requestId));
        // The served request id as the request key: a simulated provider draws the per-request part of the latency from it, as for the served call.
        var chatCall = new ChatCall(applied, Stream: false, limit, seed, SimulationOptions.FromParams(variant.Params), RequestKey: pairId);
        using var deadline = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            return await provider.Provider.SendAsync(chatCall, DiscardingResponseWriter.Instance, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChatCallResult(504, $"Provider '{provider.Name}' did not answer the shadow call within {limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");
        }
#pragma warning disable CA1031 // A provider that throws is a failed shadow call, stored with its error; the worker goes on.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new ChatCallResult(502, $"Provider '{provider.Name}' failed.", Detail: e.Message);
        }
    }

    private void BudgetSpent(ShadowWork work)
    {
        var (key, variant, cap) = (work.Experiment.Key, work.Variant.Name, work.Shadow.MaxCostUsdPerDay ?? 0);
        var spent = budget.SpentToday(key, variant);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Shadowing of '{variant}' in '{key}' stopped for today (UTC): it spent ${spent:0.####} of its max_cost_usd_per_day ${cap:0.####}; it resumes tomorrow.");
        alerts.Send(new Alert(key, time.GetUtcNow(), BudgetAlertKind, variant, text,
            ImmutableSortedDictionary.CreateRange<string, double>(StringComparer.Ordinal, [new("spent_usd", spent), new("max_cost_usd_per_day", cap)])));
        LogBudgetSpent(logger, variant, key, spent, cap);
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CallAsync(work, stoppingToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A store or body that throws must not end the worker: the call is counted as failed and the next one taken.
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    Failed(work, null, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: queued shadow calls are given up.
        }
    }

    private void Failed(ShadowWork work, string? requestId, string? error)
    {
        metrics.Failure(work.Experiment.Key, work.Variant.Name);
        LogFailed(logger, work.Variant.Name, requestId, work.Served.RequestId, work.Experiment.Key, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow call {RequestId} of '{Variant}' on served call {PairId} of '{Experiment}' failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string variant, string? requestId, string pairId, string experiment, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow completion {RequestId} of '{Experiment}'/'{Variant}' was not stored: {Reason}")]
    private static partial void LogNotStored(ILogger logger, string requestId, string experiment, string variant, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadowing of '{Variant}' in '{Experiment}' stopped for today: it spent {Spent} USD of its {Cap} USD a day.")]
    private static partial void LogBudgetSpent(ILogger logger, string variant, string experiment, double spent, double cap);
}
