namespace Medvis.Core.Tests.Storage;

/// <summary>
/// A throwaway PostgreSQL cluster (scripts/pg-cluster.sh) whose folder is a tmpfs of its own, so the database server's
/// disk really fills up. Needs root and PostgreSQL (scripts/setup.sh installs it); skipped with the reason otherwise.
/// </summary>
internal sealed class PostgresOnTmpfs : IDisposable
{
    private readonly string _script;

    private PostgresOnTmpfs(string script, string folder, string connectionString)
    {
        _script = script;
        Folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary>The cluster's folder (the tmpfs).</summary>
    public string Folder { get; }

    /// <summary>How to reach it.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts the cluster on a tmpfs of <paramref name="megabytes"/> MB.</summary>
    public static PostgresOnTmpfs Start(int megabytes)
    {
        TmpfsMount.SkipUnlessMountable();
        Skip.If(!Directory.Exists("/usr/lib/postgresql"), "PostgreSQL is not installed (scripts/setup.sh installs it).");
        var script = RepositoryRoot.Combine("scripts", "pg-cluster.sh");
        var (code, output) = TmpfsMount.Run("env", $"MEDVIS_PG_TMPFS_MB={megabytes}", script, "start");
        if (code != 0) Assert.Fail($"pg-cluster.sh start on a tmpfs failed ({code}): {output.Trim()}");
        var line = output.Trim().Split('\n')[^1];
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return new PostgresOnTmpfs(script, line[..space], line[(space + 1)..]);
    }

    /// <summary>Fills the cluster's disk, as another process would; returns the filler file.</summary>
    public string Fill() => TmpfsMount.FillFolder(Folder);

    public void Dispose() => TmpfsMount.Run(_script, "stop", Folder);
}
