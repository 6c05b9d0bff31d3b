using Rampart.Core.Access;
using Rampart.Server.Configuration;

namespace Rampart.Server.Access;

/// <summary>Reads <see cref="AccessOptions"/>: <c>RAMPART_ADMIN_KEY</c>, refused when short or unusable.</summary>
internal sealed class AccessOptionsSetup(IConfiguration configuration) : SettingsSetup<AccessOptions>(configuration)
{
    /// <inheritdoc />
    protected override void Read(AccessOptions options, SettingReader reader)
    {
        const string Variable = AccessOptions.AdminKeyVariable;
        var adminKey = reader[Variable];
        if (string.IsNullOrEmpty(adminKey))
        {
            return;
        }

        if (adminKey.Length < AccessOptions.AdminKeyMinimumLength)
        {
            reader.Problems.Add($"{Variable} is too weak: it has {adminKey.Length} characters and an admin key needs at least {AccessOptions.AdminKeyMinimumLength}; " +
                "set a long random one (`openssl rand -hex 24`), or unset it to have a key generated and printed once.");
        }
        else if (AccessKeys.Problem(adminKey) is { } problem)
        {
            reader.Problems.Add($"{Variable} is unusable: {problem}.");
        }
        else
        {
            options.AdminKey = adminKey;
        }
    }
}
