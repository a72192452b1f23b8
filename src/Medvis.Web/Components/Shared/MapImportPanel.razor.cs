using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Medvis.Web.Components.Shared;

/// <summary>A member's upload of a map computed elsewhere; opens the new run when it is stored.</summary>
public sealed partial class MapImportPanel
{
    [Inject] private MapImportService Imports { get; set; } = default!;
    [Inject] private DatasetService Datasets { get; set; } = default!;
    [Inject] private InputLimits Limits { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private IReadOnlyList<DatasetRecord> _datasets = [];
    private int _datasetId;
    private DatasetSplit _split = DatasetSplit.Train;
    private string? _name;
    private bool _busy;
    private string? _error;

    protected override void OnInitialized()
    {
        _datasets = Datasets.All();
        _datasetId = _datasets.FirstOrDefault()?.Id ?? 0;
    }

    private async Task OnFileChosenAsync(InputFileChangeEventArgs e)
    {
        _busy = true;
        _error = null;
        MapImportResult result;
        try
        {
            // One byte over the limit gets through to the import, which refuses it with the setting's name.
            await using var stream = e.File.OpenReadStream(Limits.MaxUploadBytes + 1);
            result = await Imports.ImportAsync(await CurrentCaller.GetAsync(), stream, e.File.Name, _name, _datasetId == 0 ? null : _datasetId, _split);
        }
        catch (Exception ex) when (ex is AccessDeniedException or IOException)
        {
            result = new MapImportResult(null, ex.Message);
        }
        _busy = false;
        if (result.Run is { } run) Navigation.NavigateTo($"runs/{run.Id}");
        else _error = result.Error;
    }
}
