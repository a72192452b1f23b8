using Medvis.Core.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Medvis.Web.Components.Shared;

/// <summary>Uploads images and shows where the run's model puts them on its map.</summary>
public partial class OutOfSamplePanel
{
    [Inject] private OutOfSampleService OutOfSample { get; set; } = default!;
    [Inject] private ThumbnailRenderer Renderer { get; set; } = default!;
    [Inject] private Auth.CurrentCaller CurrentCaller { get; set; } = default!;

    [Parameter, EditorRequired] public RunResult Result { get; set; } = default!;

    private const int MaxListed = 200;
    private const int NeighbourCount = Core.Similarity.NeighbourSearch.DefaultK;

    private PlacedImages? _placed;
    private List<string> _hoverTexts = [];
    private IReadOnlyList<MarkedPoints> _marked = [];
    private List<string> _thumbnails = [];
    private int? _hoveredUpload;
    private string? _error;
    private bool _busy;
    private int _revision;

    private async Task OnFilesChosenAsync(InputFileChangeEventArgs e)
    {
        _error = null;
        _busy = true;
        try
        {
            var files = new List<UploadedFile>();
            foreach (var file in e.GetMultipleFiles(OutOfSampleService.MaxFiles))
            {
                using var memory = new MemoryStream();
                await using var stream = file.OpenReadStream(OutOfSampleService.MaxFileBytes);
                await stream.CopyToAsync(memory);
                files.Add(new UploadedFile(file.Name, memory.ToArray()));
            }
            var runId = Result.RunId;
            var caller = await CurrentCaller.GetAsync();
            _placed = await Task.Run(() => OutOfSample.PlaceAsync(caller, runId, files));
            _hoverTexts = Enumerable.Range(0, _placed.Images.Count).Select(_placed.Describe).ToList();
            _marked = [];
            _thumbnails = Enumerable.Range(0, Math.Min(_placed.Images.Count, MaxListed))
                .Select(i => "data:image/png;base64," + Convert.ToBase64String(Renderer.Png(_placed.Images, i, 3)))
                .ToList();
            _hoveredUpload = null;
            _revision++;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or Auth.AccessDeniedException || UserErrors.IsUserError(ex))
        {
            _error = UserErrors.Describe(ex);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>An uploaded image (reported as −(i+1)) was hovered or clicked: show it and ring its neighbours.</summary>
    private void OnHovered(int point)
    {
        if (point >= 0 || -point - 1 >= _thumbnails.Count || _placed is null || _hoveredUpload == -point - 1) return;
        _hoveredUpload = -point - 1;
        _marked = [new MarkedPoints("neighbours of the upload", NeighbourPanel.MapColor, _placed.Neighbours[_hoveredUpload.Value].Select(n => n.Point).ToArray())];
        _revision++;
    }
}
