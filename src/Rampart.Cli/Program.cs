using Rampart.Cli;

ProcessSettings.Apply();
return await CliApp.RunAsProcessAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
