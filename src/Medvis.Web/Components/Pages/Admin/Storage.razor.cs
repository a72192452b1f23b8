using System.Globalization;
using Medvis.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace Medvis.Web.Components.Pages.Admin;

/// <summary>The data roots (from configuration) and the database file with the free space on its disk, with compaction.</summary>
public partial class Storage
{
    [Inject] private DataRoots Roots { get; set; } = default!;
    [Inject] private IMedvisStore Database { get; set; } = default!;
    [Inject] private DatabaseMaintenance Maintenance { get; set; } = default!;
    [Inject] private CurrentCaller CurrentCaller { get; set; } = default!;
    [Inject] private FreeSpaceRule FreeSpace { get; set; } = default!;

    private long _bytes;
    private long? _free;
    private bool _busy;
    private CompactionResult? _result;
    private string? _error;

    protected override void OnInitialized()
    {
        _bytes = Maintenance.FileBytes;
        _free = Maintenance.FreeBytes;
    }

    private async Task CompactAsync()
    {
        _busy = true;
        _error = null;
        _result = null;
        var caller = await CurrentCaller.GetAsync();
        try
        {
            // Off the circuit's thread: a rebuild of a large file takes a while.
            _result = await Task.Run(() => Maintenance.Compact(caller));
        }
        // A disk without room for the compacted copy (or one that fills up meanwhile) is a message, not a broken page.
        catch (Exception e) when (e is AccessDeniedException or InvalidOperationException or IOException)
        {
            _error = e.Message;
        }
        finally
        {
            _busy = false;
            _bytes = Maintenance.FileBytes;
            _free = Maintenance.FreeBytes;
        }
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0 'GiB'", CultureInfo.InvariantCulture),
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0 'MiB'", CultureInfo.InvariantCulture),
        _ => (bytes / 1024.0).ToString("0 'KiB'", CultureInfo.InvariantCulture),
    };
}
