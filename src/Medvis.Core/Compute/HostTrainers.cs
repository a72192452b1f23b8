using System.Globalization;

namespace Medvis.Core.Compute;

/// <summary>
/// The trainings running on this machine, across processes: each registers a small file in a shared folder
/// (<c>/dev/shm/medvis-trainers</c>, else the temp folder) named for its process and removed when it ends; files of
/// processes that died are ignored and swept. Lets every trainer take its share of the cores instead of all of them:
/// two libtorch processes that each use every core spin their thread pools against each other and run 5–10× slower.
/// </summary>
public sealed class HostTrainers
{
    /// <summary>The folder on this machine every Medvis process shares.</summary>
    public static string DefaultFolder =>
        Directory.Exists("/dev/shm") ? "/dev/shm/medvis-trainers" : Path.Combine(Path.GetTempPath(), "medvis-trainers");

    private readonly string _folder;

    /// <summary>Trainers registered in <paramref name="folder"/> (created when missing).</summary>
    public HostTrainers(string? folder = null)
    {
        _folder = folder ?? DefaultFolder;
        Directory.CreateDirectory(_folder);
    }

    /// <summary>Registers one training of process <paramref name="processId"/>; dispose the result when it ends.</summary>
    public IDisposable Join(int processId)
    {
        var path = Path.Combine(_folder, $"{processId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        File.WriteAllText(path, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return new Registration(path);
    }

    /// <summary>Live trainings on this machine (this one included), sweeping files left by processes that died.</summary>
    public int Count(Func<int, bool> processAlive)
    {
        ArgumentNullException.ThrowIfNull(processAlive);
        var live = 0;
        foreach (var file in Directory.EnumerateFiles(_folder))
        {
            var name = Path.GetFileName(file);
            var dash = name.IndexOf('-');
            if (dash > 0 && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && processAlive(pid))
                live++;
            else
                TryDelete(file);
        }
        return live;
    }

    /// <summary>Whether process <paramref name="processId"/> runs on this machine (Linux: /proc; elsewhere asked of the OS).</summary>
    public static bool IsAlive(int processId)
    {
        if (Directory.Exists("/proc/self")) return Directory.Exists($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}");
        try { using var process = System.Diagnostics.Process.GetProcessById(processId); return !process.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private sealed class Registration(string path) : IDisposable
    {
        public void Dispose() => TryDelete(path);
    }
}
