namespace Medvis.Core.Data.Metadata;

/// <summary>
/// Bounds on a metadata CSV attached to a dataset, checked while it is read. A host binds them from configuration
/// section <see cref="ConfigurationSection"/>; every refusal names the limit and the setting that raises it.
/// </summary>
public sealed record MetadataLimits
{
    /// <summary>The configuration section the limits are bound from.</summary>
    public const string ConfigurationSection = "Medvis:MetadataLimits";

    /// <summary>The built-in limits.</summary>
    public static MetadataLimits Default { get; } = new();

    /// <summary>Largest CSV file accepted.</summary>
    public long MaxBytes { get; init; } = 64L << 20;

    /// <summary>Most columns, the key column included.</summary>
    public int MaxColumns { get; init; } = 64;

    /// <summary>Most data rows (each describes one image, so also at most the dataset's image count).</summary>
    public int MaxRows { get; init; } = 1_000_000;

    /// <summary>
    /// Most distinct values a text column may have to be categorical (each gets a colour and a legend entry); a text
    /// column with more is kept as an identifier, shown and searched but not coloured by.
    /// </summary>
    public int MaxCategories { get; init; } = 256;

    /// <summary>Longest cell, in characters.</summary>
    public int MaxCellLength { get; init; } = 1000;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first setting out of its range.</summary>
    public MetadataLimits Validate()
    {
        RequireRange(nameof(MaxBytes), MaxBytes, 1, Array.MaxLength);
        RequireRange(nameof(MaxColumns), MaxColumns, 2, 10_000);
        RequireRange(nameof(MaxRows), MaxRows, 1, Array.MaxLength);
        RequireRange(nameof(MaxCategories), MaxCategories, 2, 1_000_000);
        RequireRange(nameof(MaxCellLength), MaxCellLength, 1, 1_000_000);
        return this;
    }

    /// <summary>How a user raises <paramref name="setting"/>: its configuration key and environment variable.</summary>
    public static string HowToRaise(string setting) =>
        $"setting {ConfigurationSection}:{setting}, environment variable {ConfigurationSection.Replace(":", "__")}__{setting}";

    private static void RequireRange(string setting, long value, long min, long max)
    {
        if (value < min || value > max)
            throw new ArgumentException($"{ConfigurationSection}:{setting} must be between {min} and {max}, not {value}.");
    }
}
