using System.Globalization;
using Medvis.Core.Data.Metadata;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Medvis.Web.Components.Shared;

/// <summary>A dataset's metadata table: what is attached, and for members an upload that replaces it or a remove.</summary>
public partial class DatasetMetadataPanel
{
    [Inject] private DatasetMetadataService Metadata { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;

    /// <summary>The dataset whose metadata is shown.</summary>
    [Parameter, EditorRequired] public DatasetRecord Dataset { get; set; } = default!;

    private Caller _caller = Caller.Anonymous;
    private DatasetMetadata? _metadata;
    private string? _error;
    private bool _busy;
    private int _shownId = -1;

    protected override async Task OnParametersSetAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        if (_shownId == Dataset.Id) return;
        _shownId = Dataset.Id;
        _error = null;
        _metadata = Metadata.Get(Dataset.Id);
    }

    private async Task OnFileChosenAsync(InputFileChangeEventArgs e)
    {
        _busy = true;
        _error = null;
        try
        {
            using var memory = new MemoryStream();
            // One byte over the limit gets through, so the parser refuses it naming the setting.
            await using (var stream = e.File.OpenReadStream(Metadata.Limits.MaxBytes + 1))
                await stream.CopyToAsync(memory);
            var datasetId = Dataset.Id;
            var bytes = memory.ToArray();
            var result = await Task.Run(() => Metadata.Attach(_caller, datasetId, e.File.Name, bytes));
            if (result.Metadata is { } attached) _metadata = attached;
            else _error = result.Error;
        }
        catch (Exception ex) when (ex is AccessDeniedException or IOException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Remove()
    {
        try
        {
            Metadata.Remove(_caller, Dataset.Id);
            _metadata = null;
        }
        catch (AccessDeniedException e)
        {
            _error = e.Message;
        }
    }

    private static string KindOf(MetadataColumn column) => column.Kind switch
    {
        MetadataColumnKind.Categorical => "categories",
        MetadataColumnKind.Identifier => "identifiers",
        _ => "numbers",
    };

    private string ValuesOf(MetadataColumn column)
    {
        if (column.Kind == MetadataColumnKind.Categorical)
            return string.Join(", ", column.Categories.Take(8)) + (column.Categories.Count > 8 ? $", … ({column.Categories.Count})" : "");
        if (column.Kind == MetadataColumnKind.Identifier)
        {
            var first = Enumerable.Range(0, _metadata!.ImageCount).Where(column.HasValue).Select(column.Text).Distinct(StringComparer.Ordinal).Take(3);
            return string.Join(", ", first) + ", … (" + column.DistinctCount().ToString("N0", CultureInfo.InvariantCulture) + " distinct)";
        }
        var (min, max) = column.Range();
        return double.IsNaN(min) ? "–" : $"{min.ToString("G6", CultureInfo.InvariantCulture)} – {max.ToString("G6", CultureInfo.InvariantCulture)}";
    }

    private string MissingOf(MetadataColumn column) =>
        Enumerable.Range(0, _metadata!.ImageCount).Count(i => !column.HasValue(i)).ToString("N0", CultureInfo.InvariantCulture);
}
