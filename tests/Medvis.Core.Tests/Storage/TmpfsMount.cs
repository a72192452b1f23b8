using System.Diagnostics;

namespace Medvis.Core.Tests.Storage;

/// <summary>
/// A real small file system (tmpfs) mounted for one test, so a disk really fills up. Mounting needs root: CI runs
/// as root on a fresh Debian machine. Elsewhere the test is skipped with the reason (never passed untested);
/// MEDVIS_TEST_NO_TMPFS=1 skips it on a root machine that may not mount (a container without CAP_SYS_ADMIN).
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>The mounted folder.</summary>
    public string Path { get; }

    /// <summary>Skips the test, with the reason, where no tmpfs can be mounted.</summary>
    public static void SkipUnlessMountable()
    {
        Skip.If(Environment.GetEnvironmentVariable("MEDVIS_TEST_NO_TMPFS") == "1", "MEDVIS_TEST_NO_TMPFS=1: no real full disk is tried.");
        Skip.If(!OperatingSystem.IsLinux(), "A tmpfs can only be mounted on Linux.");
        Skip.If(Environment.UserName != "root", $"Mounting a tmpfs needs root (running as {Environment.UserName}); CI runs as root.");
    }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB; skips or fails the test with the reason when it cannot.</summary>
    public static TmpfsMount Mount(int megabytes)
    {
        SkipUnlessMountable();
        var path = Directory.CreateTempSubdirectory("medvis-fulldisk-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Assert.Fail($"mount -t tmpfs failed as root ({code}: {output.Trim()}); set MEDVIS_TEST_NO_TMPFS=1 where mounting is not allowed.");
        }
        return new TmpfsMount(path);
    }

    /// <summary>Writes a file of zeros until the disk has <paramref name="leave"/> bytes left, as another process would.</summary>
    public string Fill(long leave = 0) => FillFolder(Path, leave);

    /// <summary>Fills the disk under <paramref name="folder"/> up to <paramref name="leave"/> bytes; returns the filler file.</summary>
    public static string FillFolder(string folder, long leave = 0)
    {
        var filler = System.IO.Path.Combine(folder, $"filler-{Guid.NewGuid():N}");
        using var file = new FileStream(filler, FileMode.CreateNew, FileAccess.Write);
        var block = new byte[64 << 10];
        try
        {
            while (true)
            {
                var free = new DriveInfo(folder).AvailableFreeSpace - leave;
                if (free <= 0) break;
                file.Write(block, 0, (int)Math.Min(block.Length, free));
                file.Flush();
            }
        }
        catch (IOException) { } // the disk is full
        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    internal static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
