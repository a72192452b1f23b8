using Medvis.Core.Runs;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Shared;

/// <summary>Counts per class and split, image size, and a row of sample images per class.</summary>
public partial class DatasetDetails
{
    private const int SamplesPerClass = 8;

    [Inject] private DatasetService DatasetService { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;

    /// <summary>The dataset to describe.</summary>
    [Parameter, EditorRequired] public DatasetRecord Dataset { get; set; } = default!;

    private IReadOnlyList<int[]>? _samples;
    private IReadOnlyList<string>? _labelNotes;
    private string? _error;
    private int _shownId = -1;
    private bool _canTrain; // viewers see no button that leads to a page they may not open

    private IEnumerable<string> Splits => Dataset.CountsPerSplit.Keys;

    private DatasetSplit SampleSplit => Enum.TryParse<DatasetSplit>(Dataset.CountsPerSplit.Keys.FirstOrDefault(), out var split) ? split : DatasetSplit.All;

    protected override async Task OnParametersSetAsync()
    {
        _canTrain = AccessRules.CanQueueRuns(await CurrentCaller.GetAsync());
        if (_shownId == Dataset.Id) return;
        _shownId = Dataset.Id;
        _samples = null;
        _labelNotes = null;
        _error = null;
        try
        {
            var dataset = Dataset;
            _labelNotes = await Task.Run(() => DatasetService.LabelTableNotes(dataset));
            _samples = await Task.Run(() => DatasetService.SampleIndicesPerClass(DatasetService.Load(dataset, SampleSplit), SamplesPerClass));
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            _error = UserErrors.Describe(e);
        }
    }

    private string ImageUrl(int index) => $"api/datasets/{Dataset.Id}/images/{index}.png?split={SampleSplit}";
}
