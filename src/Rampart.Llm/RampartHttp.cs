namespace Rampart.Llm;

/// <summary>
/// The HttpClient the providers share when the host gives none: pooled connections recycled every two minutes (so DNS
/// changes are seen) and no client-wide timeout, since every call carries its own.
/// </summary>
internal sealed class RampartHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}
