using System.CommandLine;
using Medvis.Cli.Commands;

namespace Medvis.Cli;

/// <summary>The medvis command line: builds the command tree and runs it against given writers (tests pass StringWriters).</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input (dataset, options, files).</summary>
    public const int ErrorExitCode = 1;

    /// <summary>Exit code after Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int CancelledExitCode = 130;

    /// <summary>The root command with every verb registered.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("Medvis: 2-D maps of medical image datasets with t-SimCNE.");
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(QcCommand.Create());
        root.Subcommands.Add(BaselineCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(QueueCommand.Create());
        root.Subcommands.Add(ImportMapCommand.Create());
        root.Subcommands.Add(ExportHtmlCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code. Never throws for bad input.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Errors become one line (see CommandErrors), not a stack trace.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        try
        {
            return BuildRootCommand().Parse(args).Invoke(configuration);
        }
        catch (Exception e)
        {
            error.WriteLine(CommandErrors.Describe(e));
            return ErrorExitCode;
        }
    }
}
