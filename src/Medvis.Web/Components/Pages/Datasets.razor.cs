using Medvis.Core.Data.LabelTables;
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
    [Inject] private DatasetMetadataService MetadataService { get; set; } = default!;

    private Caller _caller = Caller.Anonymous;

    private IReadOnlyList<DatasetRecord>? _datasets;
    private DatasetRecord? _selected;
    private string _path = "";
    private int _imageSize = 28;
    private string? _error;
    private string? _uploadError;
    private bool _busy;

    private string _labelTablePath = "";
    private LabelTableColumns? _labelColumns;
    private string _keyColumn = "";
    private string _labelColumn = "";
    private string _groupColumn = "";
    private IReadOnlyList<string>? _registrationNotes;

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

    private Task RegisterPathAsync()
    {
        if (_labelColumns is null) return RegisterAsync((caller, name) => WithFolderMetadata(caller, DatasetService.Register(caller, _path, _imageSize, name)));
        if (_labelColumn.Length == 0) { _error = "Pick the label column of the label table (or choose \"No label table\")."; return Task.CompletedTask; }
        var labels = new LabelTableSpec(_labelColumns.Path, _labelColumn, _keyColumn, _groupColumn.Length == 0 ? null : _groupColumn);
        return RegisterAsync((caller, name) => WithFolderMetadata(caller, DatasetService.RegisterWithLabels(caller, _path, labels, _imageSize, name)));
    }

    /// <summary>
    /// A label table's other columns and a DICOM folder's tags become the dataset's metadata in the same step; a
    /// failure to attach them is a note, as the dataset is registered.
    /// </summary>
    private RegistrationResult WithFolderMetadata(Caller caller, RegistrationResult result) =>
        result.Succeeded && MetadataService.AttachFolderMetadata(caller, result.Dataset!.Id).Error is { } error
            ? result with { Notes = [.. result.Notes ?? [], $"metadata not attached: {error}"] }
            : result;

    private Task RegisterDemoAsync() => RegisterAsync((caller, _) => DatasetService.Register(caller, DatasetService.DemoSpec, _imageSize));

    private async Task RegisterAsync(Func<Caller, string?, RegistrationResult> register)
    {
        _busy = true;
        _error = null;
        _registrationNotes = null;
        // Describing a large dataset reads the file: keep the circuit responsive meanwhile.
        var caller = await CurrentCaller.GetAsync();
        RegistrationResult result;
        try
        {
            var name = string.IsNullOrWhiteSpace(_name) ? null : _name;
            result = await Task.Run(() => register(caller, name));
        }
        catch (AccessDeniedException e)
        {
            result = new(null, e.Message);
        }
        _busy = false;
        if (!result.Succeeded) { _error = result.Error; return; }
        _name = null;
        _registrationNotes = result.Notes;
        Reload(result.Dataset!.Id);
    }

    /// <summary>Reads the label table's header so the user can pick the key, label and group columns.</summary>
    private async Task ReadColumnsAsync()
    {
        _busy = true;
        _error = null;
        var caller = await CurrentCaller.GetAsync();
        LabelTableColumns columns;
        try
        {
            columns = await Task.Run(() => DatasetService.ReadLabelTableColumns(caller, _labelTablePath));
        }
        catch (AccessDeniedException e)
        {
            columns = LabelTableColumns.Failed(e.Message);
        }
        _busy = false;
        if (columns.Error is not null) { _error = columns.Error; _labelColumns = null; return; }
        _labelColumns = columns;
        _keyColumn = columns.DefaultKey;
        _labelColumn = "";
        _groupColumn = "";
    }

    private void ClearLabelTable()
    {
        _labelColumns = null;
        _labelTablePath = "";
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
