namespace Rampart.Server.Threading;

/// <summary>
/// Moves a request that is not one of <see cref="InlineIo.IsHotRoute"/> to the thread pool when it arrives on a socket
/// engine's thread (inline I/O), so that its work (a results page, an export, the metrics) cannot hold up the gateway
/// calls that thread serves. A request already on the thread pool goes straight on.
/// </summary>
internal sealed class IoThreadMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        Thread.CurrentThread.IsThreadPoolThread || InlineIo.IsHotRoute(context.Request.Path) ? next(context) : OnThreadPoolAsync(context);

    private async Task OnThreadPoolAsync(HttpContext context)
    {
        // No synchronisation context in ASP.NET Core: the rest of the request is queued to the thread pool.
        await Task.Yield();
        await next(context).ConfigureAwait(false);
    }
}
