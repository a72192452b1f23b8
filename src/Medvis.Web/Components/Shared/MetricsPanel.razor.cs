using System.Globalization;
using Medvis.Core.Evaluation;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using PlotLayout = Plotly.Blazor.Layout;

namespace Medvis.Web.Components.Shared;

/// <summary>Overall kNN accuracy and silhouette (and, where stored, the linear-probe AUC and positional R² of the model), and kNN and silhouette per class as bar charts in the class colours.</summary>
public partial class MetricsPanel
{
    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private IList<ITrace> _knnBars = new List<ITrace>();
    private IList<ITrace> _silhouetteBars = new List<ITrace>();
    private PlotLayout _knnLayout = new();
    private PlotLayout _silhouetteLayout = new();

    [Parameter] public RunMetrics? Metrics { get; set; }

    /// <summary>Draw the per-class charts (off where a page shows one shared per-class chart for several runs).</summary>
    [Parameter] public bool ShowClassCharts { get; set; } = true;

    /// <summary>The run's settings, so advice for a map that loses to its pixel baseline names the other augmentation family.</summary>
    [Parameter] public Medvis.Core.Training.TrainingOptions? Options { get; set; }

    /// <summary>The run these metrics belong to, for the link that opens it beside its pixel baseline.</summary>
    [Parameter] public int? RunId { get; set; }

    private string ChartStyle => $"height: {ClassBars.HeightPixels(Metrics?.ClassNames.Count ?? 0)}px";

    protected override void OnParametersSet()
    {
        if (Metrics is null) return;
        _knnBars = [ClassBars.Horizontal(Metrics.ClassNames, Metrics.KnnRecallPerClass)];
        _silhouetteBars = [ClassBars.Horizontal(Metrics.ClassNames, Metrics.SilhouettePerClass)];
        _knnLayout = ClassBars.Layout("kNN accuracy per class", 0, 1);
        _silhouetteLayout = ClassBars.Layout("Silhouette per class", -1, 1);
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string ProbeTooltip(LinearProbeScore probe) => string.Create(CultureInfo.InvariantCulture,
        $"Logistic regression on the {probe.Dimensions}-d {probe.Space} of {probe.Images} images, stratified {probe.Folds}-fold cross-validation; "
        + $"mean ± sd of the folds' ROC-AUC (macro one-vs-rest for more than two classes); pooled out-of-fold AUC {Number(probe.PooledAuc, "F3")}.");

    private static string PositionalTooltip(PositionalScore score) => string.Create(CultureInfo.InvariantCulture,
        $"Held-out R² of a linear regression from the {score.Space} of {score.Crops} random crops ({score.CropFraction:0.##} of the side) of {score.Images} images "
        + $"to the crop centres: x {Number(score.RSquaredX, "F3")}, y {Number(score.RSquaredY, "F3")}. 1: position is a linear code; 0: not readable.");
}
