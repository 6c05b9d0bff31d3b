using System.CommandLine;
using Rampart.Cli.Commands;
using Rampart.Cli.Demo;
using Rampart.Core.Events;
using Rampart.Core.Experiments;
using Rampart.Core.Rollouts;

namespace Rampart.Cli;

/// <summary>The <c>rampart</c> command: builds the command tree and turns every user mistake into a message and an exit code.</summary>
public static class CliApp
{
    /// <summary>Exit code of a command that could not do what was asked (bad input, unknown experiment, wrong state).</summary>
    public const int UserError = 1;

    /// <summary>Exit code of a failure that is not the user's (a bug, a broken disk).</summary>
    public const int InternalError = 70;

    /// <summary>Runs the command line <paramref name="args"/>, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(new CliContext(stdout, stderr, TimeProvider.System), args, cancellationToken);

    /// <summary>
    /// Runs <paramref name="args"/> as the <c>rampart</c> executable's own process (<c>Main</c>): commands may set what is
    /// the whole process's, such as <c>rampart serve</c>'s inline socket completions (<see cref="CliContext.OwnsProcess"/>).
    /// </summary>
    public static Task<int> RunAsProcessAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(new CliContext(stdout, stderr, TimeProvider.System) { OwnsProcess = true }, args, CancellationToken.None);

    private static async Task<int> RunAsync(CliContext context, string[] args, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (context.Stdout, context.Stderr);
        var root = new RootCommand("Rampart: A/B tests and gradual rollouts of LLM variants, with statistics, guardrails and rollback.");
        root.Options.Add(context.Db);
        root.Options.Add(context.Postgres);
        root.Subcommands.Add(ExperimentsCommand.Create(context));
        root.Subcommands.Add(RolloutCommand.Create(context));
        root.Subcommands.Add(AssignCommand.Create(context));
        root.Subcommands.Add(ImportCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(AnalyzeCommand.Create(context));
        root.Subcommands.Add(ResultsCommand.Create(context));
        root.Subcommands.Add(SampleSizeCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(KeysCommand.Create(context));
        root.Subcommands.Add(EventsCommand.Create(context));

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUserError(e))
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return UserError;
        }
        catch (Npgsql.NpgsqlException e)
        {
            await stderr.WriteLineAsync($"error: PostgreSQL: {e.Message}").ConfigureAwait(false);
            return UserError;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled").ConfigureAwait(false);
            return UserError;
        }
#pragma warning disable CA1031 // The last line of defence: report, never crash with a stack trace on the user's terminal.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"internal error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return InternalError;
        }
        finally
        {
            await context.CloseAsync().ConfigureAwait(false);
        }
    }

    private static bool IsUserError(Exception e) =>
        e is CliException or RolloutException or ExperimentValidationException or EventFormatException
            or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;
}
