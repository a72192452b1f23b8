using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Pages;

/// <summary>Landing page: what Medvis does, how many datasets and runs there are, and links to the main tasks.</summary>
public partial class Home
{
    [Inject] private DatasetService Datasets { get; set; } = default!;
    [Inject] private RunResults Results { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;

    private int _datasets;
    private int _runs;
    private bool _canTrain;

    protected override async Task OnInitializedAsync()
    {
        _datasets = Datasets.All().Count;
        _runs = Results.Runs().Count;
        _canTrain = AccessRules.CanQueueRuns(await CurrentCaller.GetAsync());
    }
}
