using System.CommandLine;
using Medvis.Core.Runs;

namespace Medvis.Cli.Commands;

/// <summary>Turns expected failures into the one-line "error: …" message and exit code the CLI promises.</summary>
internal static class CommandErrors
{
    /// <summary>Runs <paramref name="action"/>; known failures are written to the error writer as one line.</summary>
    public static int Guard(ParseResult parse, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsExpected(e))
        {
            parse.InvocationConfiguration.Error.WriteLine(Describe(e));
            return CliApp.ErrorExitCode;
        }
    }

    /// <summary>Async form of <see cref="Guard(ParseResult, Func{int})"/>.</summary>
    public static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsExpected(e))
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(Describe(e));
            return CliApp.ErrorExitCode;
        }
    }

    /// <summary>"error: " and <see cref="UserErrors.Describe"/>'s one line.</summary>
    public static string Describe(Exception e) => "error: " + UserErrors.Describe(e);

    private static bool IsExpected(Exception e) => UserErrors.IsUserError(e);
}
