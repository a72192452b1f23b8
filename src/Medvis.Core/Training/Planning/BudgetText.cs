using System.Globalization;
using System.Text.RegularExpressions;

namespace Medvis.Core.Training.Planning;

/// <summary>Reads and writes time budgets as people type them: "30m", "2h", "1h30m", "90s", or a plain number of minutes.</summary>
public static partial class BudgetText
{
    /// <summary>Minutes in <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">Text that is no duration, naming the accepted forms.</exception>
    public static double ParseMinutes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && double.IsFinite(plain)) return plain;
        var match = Duration().Match(trimmed);
        if (!match.Success || trimmed.Length == 0)
            throw new ArgumentException($"Bad time budget '{text}': give minutes or a duration such as 30m, 2h, 1h30m or 90s.");
        double Part(string name, double perUnit) =>
            match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) * perUnit : 0;
        return Part("h", 60) + Part("m", 1) + Part("s", 1 / 60.0);
    }

    /// <summary>"5 min", "1 h 30 min": for forms and logs.</summary>
    public static string Format(double minutes) =>
        minutes >= 60 && minutes % 60 == 0 ? $"{minutes / 60:G4} h"
        : minutes > 60 ? $"{Math.Floor(minutes / 60):F0} h {minutes % 60:G3} min"
        : $"{minutes:G4} min";

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)\s*h)?\s*(?:(?<m>\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(?<s>\d+(?:\.\d+)?)\s*s)?$")]
    private static partial Regex Duration();
}
