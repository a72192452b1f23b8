using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>The paper's Figure 5b for a finished map: a 10×10 grid over the map with one image per well-filled cell.</summary>
public partial class ThumbnailGridView
{
    private IReadOnlyList<GridCell> _cells = [];
    private int _shown;
    private int[] _shownPerClass = [];

    [Parameter, EditorRequired] public RunResult Result { get; set; } = default!;
    [Parameter] public int GridSize { get; set; } = 10;
    /// <summary>Points a cell needs to show an image.</summary>
    [Parameter] public int Threshold { get; set; } = 100;
    [Parameter] public EventCallback<int> ThresholdChanged { get; set; }

    private IReadOnlyList<string> ClassNames => Result.ClassNames;

    protected override void OnParametersSet() => Rebuild();

    private async Task ThresholdChangedAsync(int value)
    {
        Threshold = Math.Max(1, value);
        Rebuild();
        await ThresholdChanged.InvokeAsync(Threshold);
    }

    private void Rebuild()
    {
        _cells = ThumbnailGrid.Build(Result.X, Result.Y, Result.Labels, GridSize, Math.Max(1, Threshold));
        _shown = _cells.Count(c => c.ShowsImage);
        _shownPerClass = new int[ClassNames.Count];
        foreach (var cell in _cells)
            if (cell.Label is { } label && label < _shownPerClass.Length) _shownPerClass[label]++;
    }

    private string ImageUrl(int point) => $"api/runs/{Result.RunId}/images/{point}.png?scale=2";
}
