using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rampart.Server.Threading;
using Rampart.Testing;

namespace Rampart.Server.Tests.Threading;

public sealed class InlineIoTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task Build_Sqlite_KestrelRunsRequestsOnTheSocketThreadUnlessSwitchedOff(string? setting, bool inline)
    {
        using var folder = new TempDirectory();
        await using var app = RampartServer.Build(["--db", folder.File("x.db"), "--urls", "http://127.0.0.1:0"],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["server:inline_io"] = setting }));

        Assert.Equal(inline, app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    [Fact]
    public async Task Build_Postgres_RequestsGoToTheThreadPool()
    {
        // Nothing connects while the app is built: the connection string only has to be well formed.
        await using var app = RampartServer.Build(["--postgres", "Host=127.0.0.1;Port=1;Database=rampart", "--urls", "http://127.0.0.1:0"]);

        Assert.False(app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    [Theory]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/v1/models", false)]
    [InlineData("/api/assign", false)]
    [InlineData("/api/events", false)]
    [InlineData("/API/Feedback", false)]
    [InlineData("/api/experiments/demo/results", true)]
    [InlineData("/api/events/quarantined", true)]
    [InlineData("/metrics", true)]
    [InlineData("/", true)]
    [InlineData("/v1x", true)]
    public async Task Middleware_OnASocketThread_HotRoutesStayAndOthersMoveToThePool(string path, bool moves)
    {
        var (ranOn, arrivedOn) = await RunOnOwnThreadAsync(path);

        Assert.Equal(moves, ranOn.IsThreadPoolThread);
        Assert.Equal(moves, arrivedOn != ranOn.ManagedThreadId);
    }

    [Fact]
    public async Task ApplyToProcess_Postgres_LeavesTheProcessAlone()
    {
        await using var app = RampartServer.Build(["--postgres", "Host=127.0.0.1;Port=1;Database=rampart", "--urls", "http://127.0.0.1:0"]);
        Assert.Null(Environment.GetEnvironmentVariable(InlineIo.Variable));

        Assert.False(InlineIo.ApplyToProcess(app.Services));
        Assert.Null(Environment.GetEnvironmentVariable(InlineIo.Variable));
    }

    [Fact]
    public async Task ApplyToProcess_OperatorSetZero_TheirValueWinsAndCallsAreNotInline()
    {
        // Only "0" is set here, the runtime's default: "1" would change how this whole test process runs its sockets.
        using var folder = new TempDirectory();
        await using var app = RampartServer.Build(["--db", folder.File("x.db"), "--urls", "http://127.0.0.1:0"]);
        Environment.SetEnvironmentVariable(InlineIo.Variable, "0");
        try
        {
            Assert.False(InlineIo.ApplyToProcess(app.Services));
            Assert.Equal("0", Environment.GetEnvironmentVariable(InlineIo.Variable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(InlineIo.Variable, null);
        }
    }

    [Fact]
    public async Task Middleware_OtherRouteOnTheThreadPool_GoesStraightOn()
    {
        var ran = await Task.Run(async () =>
        {
            var arrivedOn = Environment.CurrentManagedThreadId;
            var ranOn = -1;
            var sut = new IoThreadMiddleware(_ =>
            {
                ranOn = Environment.CurrentManagedThreadId;
                return Task.CompletedTask;
            });
            var invoked = sut.InvokeAsync(Context("/api/experiments"));
            Assert.True(invoked.IsCompletedSuccessfully);
            await invoked;
            return (arrivedOn, ranOn);
        });

        Assert.Equal(ran.arrivedOn, ran.ranOn);
    }

    // Invokes the middleware on a thread of its own, as a socket engine's thread would, and reports where the rest ran.
    private static async Task<((bool IsThreadPoolThread, int ManagedThreadId) RanOn, int ArrivedOn)> RunOnOwnThreadAsync(string path)
    {
        var ran = new TaskCompletionSource<(bool, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sut = new IoThreadMiddleware(_ =>
        {
            ran.SetResult((Thread.CurrentThread.IsThreadPoolThread, Environment.CurrentManagedThreadId));
            return Task.CompletedTask;
        });
        Task? invoked = null;
        var arrivedOn = 0;
        var thread = new Thread(() =>
        {
            arrivedOn = Environment.CurrentManagedThreadId;
            invoked = sut.InvokeAsync(Context(path));
        });
        thread.Start();
        thread.Join();

        await invoked!.WaitAsync(Eventually.DefaultTimeout);
        return (await ran.Task, arrivedOn);
    }

    private static DefaultHttpContext Context(string path) => new() { Request = { Path = path } };
}
