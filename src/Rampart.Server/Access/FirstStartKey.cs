using Microsoft.Extensions.Options;
using Rampart.Core.Access;

namespace Rampart.Server.Access;

/// <summary>
/// At first start (no key stored yet) creates the admin key: <c>RAMPART_ADMIN_KEY</c> when set, otherwise a generated one,
/// printed once. Servers starting together on an empty database create one between them. Then loads the key ring.
/// </summary>
internal sealed partial class FirstStartKey(
    IKeyStore store, KeyRing ring, IOptions<AccessOptions> settings, ServerConsole console, TimeProvider time, ILogger<FirstStartKey> logger) : IHostedService
{
    /// <summary>The name of the first admin key (audit entries made with it say <c>admin</c>).</summary>
    public const string AdminName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var given = settings.Value.AdminKey;
        var now = time.GetUtcNow();
        if (given is not null)
        {
            if (!await store.CreateFirstAsync(AccessKeys.Describe(given, AdminName, KeyScope.Admin, now), cancellationToken).ConfigureAwait(false))
            {
                await ring.LoadAsync(cancellationToken).ConfigureAwait(false);
                if (await ring.FindAsync(given, cancellationToken).ConfigureAwait(false) is null)
                {
                    LogAdminKeyIgnored(logger, AccessOptions.AdminKeyVariable);
                }
            }
        }
        else
        {
            var created = AccessKeys.Generate(AdminName, KeyScope.Admin, now);
            if (await store.CreateFirstAsync(created.Stored, cancellationToken).ConfigureAwait(false))
            {
                await console.Output.WriteLineAsync(
                    $"Rampart admin key (shown once; keep it now, or set {AccessOptions.AdminKeyVariable} on a new database): {created.Secret}").ConfigureAwait(false);
                await console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await ring.LoadAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Variable} is ignored: the database already has keys and this one is not among them; create keys with `rampart keys create`.")]
    private static partial void LogAdminKeyIgnored(ILogger logger, string variable);
}
