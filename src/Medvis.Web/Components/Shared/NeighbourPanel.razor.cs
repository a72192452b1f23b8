using Medvis.Core.Similarity;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>
/// The nearest neighbours of a clicked point on the map and in the backbone's feature space, as thumbnails, with their
/// overlap; reports both lists so the map can ring them. Clicking a neighbour's thumbnail makes it the point.
/// </summary>
public partial class NeighbourPanel
{
    /// <summary>Ring colour of the map neighbours.</summary>
    public const string MapColor = "#000000";
    /// <summary>Ring colour of the feature-space neighbours.</summary>
    public const string FeatureColor = "#d81b60";

    [Inject] private RunSimilarity Similarity { get; set; } = default!;
    [Inject] private RunResults Results { get; set; } = default!;

    [Parameter, EditorRequired] public RunResult Result { get; set; } = default!;
    /// <summary>The clicked map point, or null.</summary>
    [Parameter] public int? Point { get; set; }
    [Parameter] public EventCallback<int?> PointChanged { get; set; }
    /// <summary>The groups to ring on the map whenever the lists change.</summary>
    [Parameter] public EventCallback<IReadOnlyList<MarkedPoints>> MarkedChanged { get; set; }

    private int? _shown;
    private int? _filesOfRun;
    private IReadOnlyList<string>? _files; // per map point, for folder datasets
    private IReadOnlyList<Neighbour> _onMap = [];
    private IReadOnlyList<Neighbour>? _inFeatures;
    private NeighbourOverlap? _overlap;
    private string? _problem;

    protected override async Task OnParametersSetAsync()
    {
        if (_filesOfRun != Result.RunId)
        {
            _filesOfRun = Result.RunId;
            _files = Results.PointFileNames(Result.RunId);
        }
        if (Point == _shown) return;
        _shown = Point;
        _inFeatures = null;
        _overlap = null;
        _problem = null;
        if (Point is not { } point)
        {
            _onMap = [];
            await MarkedChanged.InvokeAsync([]);
            return;
        }
        _onMap = Similarity.OnMap(Result.RunId, point) ?? [];
        await MarkedChanged.InvokeAsync(Marks(point));
        StateHasChanged();
        var found = await Similarity.NeighboursAsync(Result.RunId, point);
        if (_shown != point || found is null) return; // another point was clicked meanwhile
        // The lists shown and their overlap come from one search, so the markers and the count always agree.
        _onMap = found.OnMap;
        _inFeatures = found.InFeatures;
        _overlap = found.Overlap;
        _problem = found.FeatureProblem;
        await MarkedChanged.InvokeAsync(Marks(point));
    }

    private List<MarkedPoints> Marks(int point)
    {
        var marks = new List<MarkedPoints> { new("map neighbours", MapColor, _onMap.Select(n => n.Point).ToArray()) };
        if (_inFeatures is not null) marks.Add(new("feature neighbours", FeatureColor, _inFeatures.Select(n => n.Point).ToArray()));
        marks.Add(new("clicked point", "#ff6f00", [point]));
        return marks;
    }

    private Task ShowAsync(int point) => PointChanged.InvokeAsync(point);

    private Task ClearAsync() => PointChanged.InvokeAsync(null);

    /// <summary>Whether a neighbour is in both lists: marked by a dashed black outline, since any colour could be a class's.</summary>
    private bool InBoth(int point) => _overlap?.Shared.Contains(point) == true;

    private string NeighbourStyle(int point) =>
        Border(point, ClassPalette.Of(Result.Labels[point])) + (InBoth(point) ? "; outline: 2px dashed #000; outline-offset: 1px" : "");

    private static string Border(int point, string color) => $"border: 2px solid {color}; cursor: pointer";

    private string SameClass(IReadOnlyList<Neighbour> neighbours) =>
        _shown is { } point ? $"{neighbours.Count(n => Result.Labels[n.Point] == Result.Labels[point])}/{neighbours.Count}" : "";

    /// <summary>"point 12 · nevus · nevus/ISIC_0027419.jpg", the start of a thumbnail's title.</summary>
    private string Describe(int point) =>
        $"point {point} · {Result.ClassNames[Result.Labels[point]]}{(_files is not null && point < _files.Count ? $" · {_files[point]}" : "")}";

    private string ImageUrl(int point) => $"api/runs/{Result.RunId}/images/{point}.png?scale=2";
}
