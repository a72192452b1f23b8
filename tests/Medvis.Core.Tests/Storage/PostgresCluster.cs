namespace Medvis.Core.Tests.Storage;

/// <summary>
/// A throwaway PostgreSQL cluster of one test's own (scripts/pg-cluster.sh), which the test may stop and start again
/// without disturbing the shared one other tests use. Skipped with the reason where PostgreSQL is not installed.
/// </summary>
internal sealed class PostgresCluster : IDisposable
{
    private static readonly string Script = RepositoryRoot.Combine("scripts", "pg-cluster.sh");
    private readonly string _folder;

    private PostgresCluster(string folder, string connectionString)
    {
        _folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary>How to reach it.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts a cluster.</summary>
    public static PostgresCluster Start()
    {
        Skip.If(!Directory.Exists("/usr/lib/postgresql"), "PostgreSQL is not installed (scripts/setup.sh installs it).");
        var line = Call("start").Trim().Split('\n')[^1];
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return new PostgresCluster(line[..space], line[(space + 1)..]);
    }

    /// <summary>Stops the server, keeping its data: the database has gone away.</summary>
    public void Pause() => Call("pause", _folder);

    /// <summary>Starts the server again on the same port with the same data.</summary>
    public void Resume() => Call("resume", _folder);

    public void Dispose() => TmpfsMount.Run(Script, "stop", _folder);

    private static string Call(params string[] args)
    {
        var (code, output) = TmpfsMount.Run(Script, args);
        if (code != 0) Assert.Fail($"pg-cluster.sh {string.Join(' ', args)} failed ({code}): {output.Trim()}");
        return output;
    }
}
