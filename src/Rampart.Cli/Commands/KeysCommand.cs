using System.CommandLine;
using Rampart.Core.Access;

namespace Rampart.Cli.Commands;

/// <summary><c>rampart keys create --scope admin|ingest|read --name NAME</c>: prints the new key once; only its hash is stored.</summary>
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
        return command;
    }
}
