using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Medvis.Web.Components.Pages;

/// <summary>Registers datasets by path (or the demo), takes members' uploads, and shows what each holds.</summary>
public partial class Datasets
{
    [Inject] private DatasetService DatasetService { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private DatasetUploads Uploads { get; set; } = default!;
    [Inject] private InputLimits Limits { get; set; } = default!;

    private Caller _caller = Caller.Anonymous;

    private IReadOnlyList<DatasetRecord>? _datasets;
    private DatasetRecord? _selected;
    private string _path = "";
    private int _imageSize = 28;
    private string? _error;
    private string? _uploadError;
    private bool _busy;

    private string? _name;
    private string _newName = "";
    private bool _confirmDelete;
    private string? _manageError;

    private DatasetRecord? Selected
    {
        get => _selected;
        set => Select(value);
    }

    private void Select(DatasetRecord? dataset)
    {
        _selected = dataset;
        _newName = dataset?.Name ?? "";
        _confirmDelete = false;
        _manageError = null;
    }

    private async Task RenameAsync()
    {
        if (_selected is null) return;
        _manageError = await ManageAsync(caller => DatasetService.Rename(caller, _selected.Id, _newName));
        if (_manageError is null) Reload(_selected.Id);
    }

    private async Task DeleteAsync()
    {
        if (_selected is null) return;
        _manageError = await ManageAsync(caller => DatasetService.Delete(caller, _selected.Id));
        _confirmDelete = false;
        if (_manageError is null) Reload(selectId: null);
    }

    /// <summary>One admin change as the current caller; a refusal becomes the message like any other problem.</summary>
    private async Task<string?> ManageAsync(Func<Caller, string?> change)
    {
        try
        {
            return change(await CurrentCaller.GetAsync());
        }
        catch (AccessDeniedException e)
        {
            return e.Message;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        Reload(selectId: null);
    }

    private Task RegisterPathAsync() => RegisterAsync(_path);

    private Task RegisterDemoAsync() => RegisterAsync(DatasetService.DemoSpec);

    private async Task RegisterAsync(string spec)
    {
        _busy = true;
        _error = null;
        // Describing a large dataset reads the file: keep the circuit responsive meanwhile.
        var caller = await CurrentCaller.GetAsync();
        RegistrationResult result;
        try
        {
            var name = string.IsNullOrWhiteSpace(_name) || spec == DatasetService.DemoSpec ? null : _name;
            result = await Task.Run(() => DatasetService.Register(caller, spec, _imageSize, name));
        }
        catch (AccessDeniedException e)
        {
            result = new(null, e.Message);
        }
        _busy = false;
        if (!result.Succeeded) { _error = result.Error; return; }
        _name = null;
        Reload(result.Dataset!.Id);
    }

    private async Task OnUploadChosenAsync(InputFileChangeEventArgs e)
    {
        _busy = true;
        _uploadError = null;
        var caller = await CurrentCaller.GetAsync();
        RegistrationResult result;
        try
        {
            // One byte over the limit gets through to the upload, which refuses it with the setting's name.
            await using var stream = e.File.OpenReadStream(Limits.MaxUploadBytes + 1);
            result = await Uploads.UploadAsync(caller, e.File.Name, stream, _imageSize);
        }
        catch (Exception ex) when (ex is AccessDeniedException or IOException)
        {
            result = new(null, ex.Message);
        }
        _busy = false;
        if (!result.Succeeded) { _uploadError = result.Error; return; }
        Reload(result.Dataset!.Id);
    }

    private static string FormatLimit(long bytes) => $"{bytes / (1 << 20)} MiB";

    private void Reload(int? selectId)
    {
        _datasets = DatasetService.All();
        Select(_datasets.FirstOrDefault(d => d.Id == selectId) ?? _datasets.FirstOrDefault());
    }
}
