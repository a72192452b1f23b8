using System.Globalization;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;

namespace Medvis.Core.Maps.Export;

/// <summary>
/// Puts together what an exported map holds from a run's parts, for every host (the CLI, the web app): thumbnails
/// from the images behind the points unless the map is larger than <see cref="StandaloneMapOptions.MaxThumbnailPoints"/>.
/// </summary>
public static class StandaloneMapExport
{
    /// <summary>The content of an exported map.</summary>
    /// <param name="title">The page title.</param>
    /// <param name="x">Map x per point.</param>
    /// <param name="y">Map y per point.</param>
    /// <param name="labels">Class per point.</param>
    /// <param name="classNames">Class names.</param>
    /// <param name="imageIndices">Per point, the index of its image in <paramref name="images"/>.</param>
    /// <param name="images">The images behind the points, or null (no thumbnails; the file says so).</param>
    /// <param name="metrics">The run's metrics, or null.</param>
    /// <param name="cardJson">The run card, or null.</param>
    /// <param name="options">Thumbnail limits.</param>
    /// <param name="cancellation">Stops building the atlas.</param>
    public static StandaloneMapContent Build(string title, float[] x, float[] y, int[] labels, IReadOnlyList<string> classNames,
        IReadOnlyList<int> imageIndices, ImageDataset? images, MetricsReport? metrics, string? cardJson, StandaloneMapOptions options,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ThumbnailAtlas? atlas = null;
        string? note = null;
        if (images is null)
            note = "Thumbnails are left out: the images behind this map were not available when it was exported.";
        else if (x.Length > options.MaxThumbnailPoints)
            note = string.Create(CultureInfo.InvariantCulture,
                $"Thumbnails are left out: the map has {x.Length:N0} points, more than the {options.MaxThumbnailPoints:N0} an export embeds images for.");
        else if (x.Length > 0)
            atlas = ThumbnailAtlas.Build(images, imageIndices, options.ThumbnailSize, options.JpegQuality, cancellation);
        return new StandaloneMapContent(title, x, y, labels, classNames)
        {
            Source = string.Create(CultureInfo.InvariantCulture, $"{x.Length:N0} points · exported by Medvis {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"),
            PointNames = imageIndices.Select(i => "image " + i.ToString(CultureInfo.InvariantCulture)).ToArray(),
            Metrics = metrics is null ? [] : ExportMetrics.Rows(metrics),
            CardJson = cardJson,
            Thumbnails = atlas,
            ThumbnailNote = note,
        };
    }
}
