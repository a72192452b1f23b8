using System.CommandLine;
using Medvis.Core.Data;

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

    /// <summary>"error: &lt;file&gt;: &lt;problem&gt;" or "error: &lt;message&gt;", on one line.</summary>
    public static string Describe(Exception e)
    {
        var message = e switch
        {
            DatasetFormatException d => $"{d.Path}: {d.Problem}",
            NotImplementedException => $"this build cannot do that yet ({e.Message})",
            _ => e.Message,
        };
        return "error: " + message.ReplaceLineEndings(" ");
    }

    private static bool IsExpected(Exception e) => e is DatasetFormatException or ArgumentException or IOException
        or UnauthorizedAccessException or InvalidDataException or NotImplementedException or FormatException;
}
