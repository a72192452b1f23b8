using Medvis.Core.Data;

namespace Medvis.Core.Runs;

/// <summary>
/// Which failures are the user's to fix (a bad path, a malformed file, settings that cannot work) and how to say
/// so in one line. The command line prints them as "error: …"; the web app shows them instead of failing the request.
/// </summary>
public static class UserErrors
{
    /// <summary>True for failures caused by the input rather than by a defect or the machine.</summary>
    public static bool IsUserError(Exception e) => e is DatasetFormatException or ArgumentException or IOException
        or UnauthorizedAccessException or InvalidDataException or FormatException or NotSupportedException
        or NotImplementedException;

    /// <summary>The message on one line: "&lt;file&gt;: &lt;problem&gt;" for dataset files, else the exception's own.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e switch
        {
            DatasetFormatException d => $"{d.Path}: {d.Problem}",
            NotImplementedException => $"this build cannot do that yet ({e.Message})",
            _ => e.Message,
        };
        return message.ReplaceLineEndings(" ").Trim();
    }
}
