namespace Medvis.Core.Data.Dicom;

/// <summary>
/// Maps rescaled grey values (stored value × slope + intercept) to 0–255: the linear VOI window of PS3.3
/// C.11.2.1.2.1, or the image's own minimum to maximum, then inverted for MONOCHROME1 (where 0 is white).
/// </summary>
internal static class DicomGreyMapping
{
    /// <summary>Applies the linear window <paramref name="center"/>/<paramref name="width"/> (width ≥ 1) to one value.</summary>
    public static byte Window(double value, double center, double width)
    {
        var low = center - 0.5 - (width - 1) / 2;
        var high = center - 0.5 + (width - 1) / 2;
        if (value <= low) return 0;
        if (value > high) return 255;
        return (byte)Math.Clamp(Math.Round(((value - (center - 0.5)) / (width - 1) + 0.5) * 255, MidpointRounding.AwayFromZero), 0, 255);
    }

    /// <summary>
    /// The grey level of every stored value from <paramref name="minStored"/> to <paramref name="maxStored"/> (at
    /// most 65,536 of them), through slope and intercept and the window the file and the dataset's override choose,
    /// inverted for MONOCHROME1: one table per image, so each pixel is a lookup.
    /// </summary>
    /// <param name="minStored">The image's smallest stored value.</param>
    /// <param name="maxStored">The image's largest stored value.</param>
    /// <param name="slope">Rescale Slope.</param>
    /// <param name="intercept">Rescale Intercept.</param>
    /// <param name="fileWindow">The file's first Window Center/Width, or null when it names none (or a width below 1).</param>
    /// <param name="window">The dataset's choice.</param>
    /// <param name="invert">Whether the image is MONOCHROME1.</param>
    public static byte[] Table(int minStored, int maxStored, double slope, double intercept, (double Center, double Width)? fileWindow,
        DicomWindow window, bool invert)
    {
        var chosen = window.Mode switch
        {
            DicomWindowMode.Fixed => (window.Center, window.Width),
            DicomWindowMode.FromFile => fileWindow,
            _ => null,
        };
        // The rescaled image's own range, for min/max: a negative slope swaps the ends.
        var low = Math.Min(minStored * slope + intercept, maxStored * slope + intercept);
        var high = Math.Max(minStored * slope + intercept, maxStored * slope + intercept);
        var table = new byte[maxStored - minStored + 1];
        for (var s = 0; s < table.Length; s++)
        {
            var value = (minStored + s) * slope + intercept;
            var grey = chosen is var (center, width) ? Window(value, center, width) : MinMax(value, low, high);
            table[s] = invert ? (byte)(255 - grey) : grey;
        }
        return table;
    }

    /// <summary><paramref name="low"/> to 0 and <paramref name="high"/> to 255, linearly; a flat image is 0.</summary>
    private static byte MinMax(double value, double low, double high) =>
        high > low ? (byte)Math.Round((value - low) / (high - low) * 255, MidpointRounding.AwayFromZero) : (byte)0;
}
