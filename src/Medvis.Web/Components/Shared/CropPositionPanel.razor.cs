using System.Globalization;
using Medvis.Core.Evaluation;
using Medvis.Web.Auth;
using Medvis.Web.Results;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>A run's crop-position view: two maps of grid crops coloured by crop x and crop y, and the positional R².</summary>
public partial class CropPositionPanel
{
    [Inject] private RunCropPositions CropPositions { get; set; } = default!;

    /// <summary>The run whose model places the crops.</summary>
    [Parameter, EditorRequired] public int RunId { get; set; }
    /// <summary>Who asks (the view checks read access).</summary>
    [Parameter, EditorRequired] public Caller Caller { get; set; } = default!;
    /// <summary>The run's class names (hover text).</summary>
    [Parameter] public IReadOnlyList<string> ClassNames { get; set; } = [];

    private CropPositionResult? _view;
    private float[] _x = [], _y = [];
    private int[] _labels = [];
    private double[] _cropX = [], _cropY = [];
    private bool _loading;
    private string? _error;

    private async Task ComputeAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            var view = await CropPositions.ViewAsync(Caller, RunId);
            _x = view.Points.Select(p => p.MapX).ToArray();
            _y = view.Points.Select(p => p.MapY).ToArray();
            // Labels index the class names; a label past them (a map without names) falls back to the first.
            _labels = view.Points.Select(p => p.Label < ClassNames.Count ? p.Label : 0).ToArray();
            _cropX = view.Points.Select(p => (double)p.CropX).ToArray();
            _cropY = view.Points.Select(p => (double)p.CropY).ToArray();
            _view = view;
        }
        catch (Exception e) when (e is InvalidOperationException or AccessDeniedException)
        {
            _error = e.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("F3", CultureInfo.InvariantCulture) : "–";
}
