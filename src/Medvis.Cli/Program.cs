return Medvis.Cli.CliApp.Run(args, Console.Out, Console.Error);
