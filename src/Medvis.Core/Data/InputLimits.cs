using System.Globalization;
using System.Reflection;

namespace Medvis.Core.Data;

/// <summary>
/// Bounds on what a dataset file, image or upload may make the process do, checked before anything large is
/// allocated or decoded. A host binds it from configuration section <see cref="ConfigurationSection"/>
/// (environment variables <c>Medvis__InputLimits__MaxClasses</c> and so on); every refusal names the file, the
/// limit and the setting that raises it.
/// </summary>
public sealed record InputLimits
{
    /// <summary>The configuration section the limits are bound from.</summary>
    public const string ConfigurationSection = "Medvis:InputLimits";

    /// <summary>The built-in limits.</summary>
    public static InputLimits Default { get; } = new();

    /// <summary>Most classes a dataset may have; a label must be below this (class-sized arrays are allocated from it).</summary>
    public int MaxClasses { get; init; } = 1000;

    /// <summary>Most images one loaded split (or one upload) may hold.</summary>
    public int MaxImages { get; init; } = 1_000_000;

    /// <summary>Most pixels (width × height) one image may decode to; checked from the file's header before decoding.</summary>
    public long MaxImagePixels { get; init; } = 40_000_000;

    /// <summary>Largest encoded image file that is read into memory.</summary>
    public long MaxImageFileBytes { get; init; } = 256L << 20;

    /// <summary>Most memory, estimated before allocating, that loading one split may take.</summary>
    public long MaxLoadBytes { get; init; } = 4L << 30;

    /// <summary>
    /// Largest ratio of decompressed to compressed size of a zip member over <see cref="CompressionRatioFreeBytes"/>
    /// (real image arrays compress 1–3×; a decompression bomb, up to about 1000×).
    /// </summary>
    public int MaxCompressionRatio { get; init; } = 100;

    /// <summary>Members up to this many decompressed bytes are exempt from <see cref="MaxCompressionRatio"/> (label arrays compress well).</summary>
    public long CompressionRatioFreeBytes { get; init; } = 64L << 20;

    /// <summary>Most entries the TIFF image directory may have (real files have a few dozen).</summary>
    public int MaxTiffDirectoryEntries { get; init; } = 1000;

    /// <summary>Most bytes all files of one upload may total.</summary>
    public long MaxUploadBytes { get; init; } = 256L << 20;

    /// <summary>Most points an imported map (a CSV of index, x, y) may hold.</summary>
    public int MaxMapPoints { get; init; } = 5_000_000;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first setting out of its range.</summary>
    public InputLimits Validate()
    {
        RequireRange(nameof(MaxClasses), MaxClasses, 2, 1_000_000);
        RequireRange(nameof(MaxImages), MaxImages, 1, Array.MaxLength);
        // An RGBA bitmap of the largest image must stay addressable by int offsets.
        RequireRange(nameof(MaxImagePixels), MaxImagePixels, 1, int.MaxValue / 4);
        RequireRange(nameof(MaxImageFileBytes), MaxImageFileBytes, 1, Array.MaxLength);
        RequireRange(nameof(MaxLoadBytes), MaxLoadBytes, 1, long.MaxValue);
        RequireRange(nameof(MaxCompressionRatio), MaxCompressionRatio, 1, int.MaxValue);
        RequireRange(nameof(CompressionRatioFreeBytes), CompressionRatioFreeBytes, 0, long.MaxValue);
        RequireRange(nameof(MaxTiffDirectoryEntries), MaxTiffDirectoryEntries, 1, ushort.MaxValue);
        RequireRange(nameof(MaxUploadBytes), MaxUploadBytes, 1, long.MaxValue);
        RequireRange(nameof(MaxMapPoints), MaxMapPoints, 1, Array.MaxLength);
        return this;
    }

    /// <summary>
    /// The limits with each setting overridden by the environment variable an ASP.NET Core host would bind to it
    /// (<c>Medvis__InputLimits__MaxClasses</c> …), validated.
    /// </summary>
    /// <param name="variable">Reads one environment variable (null when unset), e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <exception cref="ArgumentException">For a value that is not a whole number or lies outside its range.</exception>
    public static InputLimits FromEnvironment(Func<string, string?> variable)
    {
        var limits = new InputLimits();
        foreach (var property in typeof(InputLimits).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = EnvironmentVariable(property.Name);
            if (variable(name) is not { } text) continue;
            if (!long.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                || (property.PropertyType == typeof(int) && value > int.MaxValue))
                throw new ArgumentException($"{name} must be a whole number, not '{text}'.");
            limits = property.PropertyType == typeof(int) ? With(limits, property, (int)value) : With(limits, property, value);
        }
        return limits.Validate();
    }

    /// <summary>How a user raises <paramref name="setting"/>: its configuration key and environment variable.</summary>
    public static string HowToRaise(string setting) =>
        $"setting {ConfigurationSection}:{setting}, environment variable {EnvironmentVariable(setting)}";

    /// <summary>The refusal for a value over a limit: "what is over the limit of N unit (setting …)"; the unit may be empty.</summary>
    internal static DatasetFormatException Exceeded(string path, string what, long limit, string unit, string setting) =>
        new(path, $"{what} is over the limit of {(limit + " " + unit).TrimEnd()} ({HowToRaise(setting)})");

    /// <summary>Refuses more than <see cref="MaxLoadBytes"/> of estimated memory, before it is allocated.</summary>
    internal void RequireLoadMemory(string path, string what, long estimatedBytes)
    {
        if (estimatedBytes > MaxLoadBytes)
            throw new DatasetFormatException(path,
                $"{what} needs about {Gigabytes(estimatedBytes)} of memory, over the limit of {Gigabytes(MaxLoadBytes)} ({HowToRaise(nameof(MaxLoadBytes))})");
    }

    /// <summary>Refuses an image of more than <see cref="MaxImagePixels"/> pixels.</summary>
    /// <param name="path">The file named in the error.</param>
    /// <param name="width">Image width from the header.</param>
    /// <param name="height">Image height from the header.</param>
    /// <param name="part">The part of the file holding the image (an array member), when there is one.</param>
    internal void RequireImagePixels(string path, long width, long height, string? part = null)
    {
        var what = (part is null ? "" : part + ": ") + $"image size {width}×{height}";
        if (width <= 0 || height <= 0) throw new DatasetFormatException(path, $"{what} has no pixels");
        // Each side is compared first so that the product cannot overflow.
        if (width > MaxImagePixels || height > MaxImagePixels || width * height > MaxImagePixels)
            throw Exceeded(path, what, MaxImagePixels, "pixels per image", nameof(MaxImagePixels));
    }

    /// <summary>Refuses more than <see cref="MaxImages"/> images.</summary>
    internal void RequireImageCount(string path, long count)
    {
        if (count > MaxImages) throw Exceeded(path, $"{count} images", MaxImages, "images", nameof(MaxImages));
    }

    /// <summary>"1.6 GB", "12 MB", "744 bytes": sizes in messages.</summary>
    internal static string Gigabytes(long bytes) => bytes switch
    {
        >= 1_000_000_000 => (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1_000_000 => Math.Ceiling(bytes / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    private static string EnvironmentVariable(string setting) => ConfigurationSection.Replace(":", "__") + "__" + setting;

    private static InputLimits With<T>(InputLimits limits, PropertyInfo property, T value)
    {
        var copy = limits with { };
        property.SetValue(copy, value);
        return copy;
    }

    private static void RequireRange(string setting, long value, long min, long max)
    {
        if (value < min || value > max)
            throw new ArgumentException($"{ConfigurationSection}:{setting} must lie between {min} and {max}, not {value}.");
    }
}
