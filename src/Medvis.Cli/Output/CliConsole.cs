using Spectre.Console;

namespace Medvis.Cli.Output;

/// <summary>Spectre consoles bound to the writer a command was invoked with.</summary>
internal static class CliConsole
{
    /// <summary>
    /// The real terminal for Console.Out on a terminal; a plain, non-interactive, 120-column console for any other
    /// writer, redirected output included (a log file would otherwise get epoch lines wrapped at 80 columns).
    /// </summary>
    public static IAnsiConsole For(TextWriter writer)
    {
        if (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected) return AnsiConsole.Console;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;
        return console;
    }
}
