using System.Globalization;
using Medvis.Core.Quality;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>The three data-quality lists of a finished run (near-duplicates, outliers, likely label errors) as thumbnails.</summary>
public partial class QualityPanel
{
    /// <summary>Thumbnails shown per list.</summary>
    public const int Shown = 60;

    [Inject] private RunQuality Quality { get; set; } = default!;
    [Inject] private RunResults Results { get; set; } = default!;

    /// <summary>The run whose map is examined.</summary>
    [Parameter] public int RunId { get; set; }

    /// <summary>False for a map imported without a dataset: its items show as point numbers, not thumbnails.</summary>
    [Parameter] public bool HasImages { get; set; } = true;

    private QualityReport? _report;
    private IReadOnlyList<string>? _files; // per map point, for folder datasets
    private bool _loading;

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        _files = HasImages ? Results.PointFileNames(RunId) : null;
        _report = await Quality.ReportAsync(RunId);
        _loading = false;
    }

    private IEnumerable<(string Title, IReadOnlyList<QualityItem> Items, string TestId)> Lists()
    {
        yield return ("Near-duplicates", _report!.NearDuplicates, "quality-duplicates");
        yield return ("Outliers", _report.Outliers, "quality-outliers");
        yield return ("Likely label errors", _report.LabelErrors, "quality-label-errors");
    }

    private string Caption(QualityItem item) => Caption(item, _files);

    /// <summary>What hovering a listed image says: the image (and its file, for folder datasets), its score and why it is listed.</summary>
    public static string Caption(QualityItem item, IReadOnlyList<string>? files) => string.Create(CultureInfo.InvariantCulture,
        $"image {item.Index}{(files is not null ? $" ({files[item.Point]})" : "")}, score {item.Score:F3}{(item.Group is { } group ? $", group {group}" : "")}: {item.Reason}");
}
