using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Rampart.Testing;

/// <summary>
/// Waits for a condition that work on another thread (a writer, a follower, a sink, the monitor) makes true in its
/// own time, looking again every few milliseconds; throws <see cref="TimeoutException"/> if it never holds.
/// </summary>
/// <remarks>
/// Timeouts are generous because the machines that run these tests are often heavily loaded: a timeout only costs
/// time when a test is failing anyway.
/// </remarks>
public static class Eventually
{
    /// <summary>How long a condition is waited for when the caller does not say.</summary>
    /// <value>30 seconds.</value>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Looked at first at once, then after each pause.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="failure">Says what was seen instead, for the message when the wait times out.</param>
    /// <exception cref="TimeoutException">when <paramref name="condition"/> did not hold within the timeout.</exception>
    public static Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, Func<string>? failure = null) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, failure is null ? null : () => Task.FromResult(failure()));

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Looked at first at once, then after each pause.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="failure">Says what was seen instead, for the message when the wait times out.</param>
    /// <exception cref="TimeoutException">when <paramref name="condition"/> did not hold within the timeout.</exception>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, Func<Task<string>>? failure = null) =>
        WaitAsync(condition, timeout ?? DefaultTimeout, Pause, failure, beforeEachPause: null);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, moving <paramref name="time"/> on by <paramref name="step"/>
    /// before each pause, so work scheduled on the fake clock comes due while real time lets it run.
    /// </summary>
    /// <param name="time">The fake clock the work under test is scheduled on.</param>
    /// <param name="step">How far the fake clock moves between looks.</param>
    /// <param name="condition">Looked at first at once, then after each step and pause.</param>
    /// <param name="timeout">How long to wait in real time; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="failure">Says what was seen instead, for the message when the wait times out.</param>
    /// <exception cref="TimeoutException">when <paramref name="condition"/> did not hold within the timeout.</exception>
    public static Task TrueAsync(FakeTimeProvider time, TimeSpan step, Func<Task<bool>> condition, TimeSpan? timeout = null, Func<Task<string>>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        // A longer pause than for real-time work: each step may start a round of work that should finish before the next.
        return WaitAsync(condition, timeout ?? DefaultTimeout, TimeSpan.FromMilliseconds(100), failure, () => time.Advance(step));
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan pause, Func<Task<string>>? failure, Action? beforeEachPause)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                var seen = failure is null ? "" : ": " + await failure();
                throw new TimeoutException($"The condition did not hold within {timeout.TotalSeconds:0.#} s{seen}");
            }

            beforeEachPause?.Invoke();
            await Task.Delay(pause);
        }
    }
}
