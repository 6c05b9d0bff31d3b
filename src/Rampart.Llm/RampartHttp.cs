namespace Rampart.Llm;

/// <summary>
/// The HttpClient the providers share when the host gives none: pooled connections recycled every two minutes (so DNS
/// changes are seen), no client-wide timeout, since every call carries its own, and no redirects followed (the API key
/// must not go wherever an upstream points; a 3xx is a failed call).
/// </summary>
internal sealed class RampartHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}
