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

    /// <summary>Maps every value through the window the file and the dataset's override choose, inverting for MONOCHROME1.</summary>
    /// <param name="values">Rescaled values, one per pixel.</param>
    /// <param name="fileWindow">The file's first Window Center/Width, or null when it names none (or a width below 1).</param>
    /// <param name="window">The dataset's choice.</param>
    /// <param name="invert">Whether the image is MONOCHROME1.</param>
    public static byte[] ToBytes(ReadOnlySpan<double> values, (double Center, double Width)? fileWindow, DicomWindow window, bool invert)
    {
        var chosen = window.Mode switch
        {
            DicomWindowMode.Fixed => (window.Center, window.Width),
            DicomWindowMode.FromFile => fileWindow,
            _ => null,
        };
        var grey = new byte[values.Length];
        if (chosen is var (center, width))
            for (var i = 0; i < values.Length; i++) grey[i] = Window(values[i], center, width);
        else
            MinMax(values, grey);
        if (invert)
            for (var i = 0; i < grey.Length; i++) grey[i] = (byte)(255 - grey[i]);
        return grey;
    }

    /// <summary>The image's minimum to 0 and maximum to 255, linearly; a flat image becomes 0.</summary>
    private static void MinMax(ReadOnlySpan<double> values, byte[] grey)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (!(max > min)) return;
        for (var i = 0; i < values.Length; i++)
            grey[i] = (byte)Math.Round((values[i] - min) / (max - min) * 255, MidpointRounding.AwayFromZero);
    }
}
