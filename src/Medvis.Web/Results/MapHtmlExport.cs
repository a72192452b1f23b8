using Medvis.Core.Data.Metadata;
using Medvis.Core.Maps.Export;

namespace Medvis.Web.Results;

/// <summary>
/// A finished run's map as one self-contained HTML file (<see cref="StandaloneMapHtml"/>): its points, thumbnails,
/// metrics and card, and its dataset's metadata columns to colour by and to read on hover.
/// </summary>
public sealed class MapHtmlExport(RunResults results, DatasetMetadataService metadata, StandaloneMapOptions options)
{
    /// <summary>The HTML bytes and a file name, or null when the run has no map.</summary>
    public (byte[] Html, string FileName)? Export(int runId, CancellationToken cancellation = default)
    {
        if (results.Run(runId) is not { } run || results.Result(runId) is not { } map) return null;
        var images = map.Count > 0 && map.Count <= options.MaxThumbnailPoints ? results.ImageOfPoint(runId, 0)?.Images : null;
        var cardJson = results.Card(runId)?.ToJson();
        var content = StandaloneMapExport.Build($"{run.Name} · {run.DatasetName}", map.X, map.Y, map.Labels, map.ClassNames,
            map.DatasetIndices, images, results.MetricsReport(runId), cardJson, options, cancellation);
        if (results.PointFileNames(runId) is { } files) content = content with { PointNames = files };
        if (metadata.ForRun(run) is { } table) content = WithMetadata(content, map, table);
        return (StandaloneMapHtml.Render(content), $"run-{runId}-map.html");
    }

    /// <summary>The table's colour columns as colourings (the rule the map page uses), every column on hover.</summary>
    private static StandaloneMapContent WithMetadata(StandaloneMapContent content, RunResult map, DatasetMetadata table) => content with
    {
        Colourings = table.ColourColumns().Select(column =>
        {
            var colouring = MetadataColouring.For(map, table, column.Name, null);
            return colouring.Values is { } values
                ? ExportColouring.Continuous(column.Name, map.DatasetIndices.Select(i => column.HasValue(i) ? column.Values[i] : double.NaN).ToArray())
                : ExportColouring.Categorical(column.Name, colouring.Groups, colouring.GroupNames);
        }).ToList(),
        HoverColumns = table.Columns.Select(column => new ExportHoverColumn(column.Name, map.DatasetIndices.Select(column.Text).ToArray())).ToList(),
    };
}
