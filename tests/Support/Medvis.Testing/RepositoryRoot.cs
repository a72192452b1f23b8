namespace Medvis.Testing;

/// <summary>The repository root: the folder holding Medvis.Web.sln, found above the test binaries.</summary>
public static class RepositoryRoot
{
    /// <summary>The root's full path.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path below the root.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Medvis.Web.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Medvis.Web.sln above {AppContext.BaseDirectory}.");
    }
}
