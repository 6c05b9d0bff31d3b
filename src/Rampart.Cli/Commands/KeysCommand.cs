using System.CommandLine;
using Rampart.Core.Access;

namespace Rampart.Cli.Commands;

/// <summary>
/// <c>rampart keys create --scope admin|ingest|read --name NAME</c>: prints the new key once; only its hash is stored.
/// <c>rampart keys revoke --name NAME</c>: deletes the key; every running server refuses it within about a second.
/// </summary>
public static class KeysCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var scope = new Option<string>("--scope") { Description = "admin (everything), ingest (gateway, assign, events, feedback) or read (results)", Required = true };
        var name = new Option<string>("--name") { Description = "Who uses it (audit entries made with it carry this name)", Required = true };
        var create = new Command("create", "Create an API key and print it once") { scope, name };
        create.SetAction(async (parse, ct) =>
        {
            if (!KeyScopes.TryParse(parse.GetValue(scope), out var parsed))
            {
                throw new CliException($"--scope '{parse.GetValue(scope)}' is not a scope; use admin, ingest or read");
            }

            var keyName = parse.GetValue(name)!;
            if (!AccessKeys.IsValidName(keyName))
            {
                throw new CliException($"--name '{keyName}' is invalid; use 1 to 64 letters, digits, '.', '-' or '_'");
            }

            var key = AccessKeys.Generate(keyName, parsed.Value, context.Time.GetUtcNow());
            try
            {
                await context.OpenKeys(parse).CreateAsync(key.Stored, ct).ConfigureAwait(false);
            }
            catch (KeyConflictException e)
            {
                throw new CliException(e.Message);
            }

            await context.Stderr.WriteLineAsync($"created key '{keyName}' with scope {parsed.Value.Name()}; it is shown once, keep it now:").ConfigureAwait(false);
            await context.Stdout.WriteLineAsync(key.Secret).ConfigureAwait(false);
            return 0;
        });
        var command = new Command("keys", "Manage API keys (stored hashed in the database)");
        command.Subcommands.Add(create);
        command.Subcommands.Add(Revoke(context));
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The key to revoke (the name it was created with)", Required = true };
        var revoke = new Command("revoke", "Revoke an API key: every server refuses it within about a second") { name };
        revoke.SetAction(async (parse, ct) =>
        {
            var keyName = parse.GetValue(name)!;
            var store = context.OpenKeys(parse);
            var keys = await store.ListAsync(ct).ConfigureAwait(false);
            var key = keys.FirstOrDefault(k => k.Name == keyName)
                ?? throw new CliException($"--name '{keyName}': no key has that name; check the name it was created with");
            if (key.Scope == KeyScope.Admin && keys.Count(k => k.Scope == KeyScope.Admin) == 1)
            {
                throw new CliException($"--name '{keyName}' is the only admin key; create another admin key first (rampart keys create --scope admin --name NAME)");
            }

            if (!await store.RevokeAsync(keyName, ct).ConfigureAwait(false))
            {
                throw new CliException($"--name '{keyName}': the key was revoked meanwhile");
            }

            await context.Stderr.WriteLineAsync($"revoked key '{keyName}' (scope {key.Scope.Name()}); servers refuse it within about a second").ConfigureAwait(false);
            return 0;
        });
        return revoke;
    }
}
