using System.Diagnostics;

namespace Rampart.Llm.Tests.Fakes;

/// <summary>Waits (in real time, briefly) for work released by a fake clock to catch up on the thread pool.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(5);
        }
    }
}
