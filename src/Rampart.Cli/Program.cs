using Rampart.Cli;

ProcessSettings.Apply();
return await CliApp.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
