namespace Medvis.Core.Maps.Export;

/// <summary>Settings of a map exported as one HTML file (section <c>Medvis:Export</c> in the web app's settings).</summary>
public sealed record StandaloneMapOptions
{
    /// <summary>The settings' section in the web app's configuration.</summary>
    public const string ConfigurationSection = "Medvis:Export";

    /// <summary>Maps with more points than this are exported without thumbnails (the file says so). A 12,000-point map fits within 12 MB.</summary>
    public int MaxThumbnailPoints { get; init; } = 20_000;

    /// <summary>Side of a thumbnail tile in pixels; smaller images keep their own size.</summary>
    public int ThumbnailSize { get; init; } = 32;

    /// <summary>JPEG quality of the thumbnail atlas (1–100).</summary>
    public int JpegQuality { get; init; } = 80;

    /// <summary>The settings, or an exception naming the first one out of range.</summary>
    /// <exception cref="ArgumentException">A setting out of range.</exception>
    public StandaloneMapOptions Validate()
    {
        if (MaxThumbnailPoints is < 0 or > 1_000_000) throw new ArgumentException($"Export:MaxThumbnailPoints {MaxThumbnailPoints} must be between 0 and 1,000,000.");
        if (ThumbnailSize is < 8 or > 128) throw new ArgumentException($"Export:ThumbnailSize {ThumbnailSize} must be between 8 and 128 pixels.");
        if (JpegQuality is < 1 or > 100) throw new ArgumentException($"Export:JpegQuality {JpegQuality} must be between 1 and 100.");
        return this;
    }
}
