namespace Medvis.Testing;

/// <summary>
/// The real datasets and fixtures in ../shared next to the repository (never copied into it). Tests that need them skip,
/// with the reason, in a clone without that folder.
/// </summary>
public static class SharedData
{
    /// <summary>../shared, or null when this checkout has none beside it.</summary>
    public static string? SharedFolder => Existing(System.IO.Path.Combine(RepositoryRoot.Path, "..", "shared"));

    /// <summary>../shared/data, or null when absent.</summary>
    public static string? Folder => Existing(System.IO.Path.Combine(RepositoryRoot.Path, "..", "shared", "data"));

    /// <summary>A file or folder in ../shared/data; skips the test with a clear message when it is absent.</summary>
    public static string File(string name)
    {
        Skip.If(Folder is null, $"../shared/data is absent next to {RepositoryRoot.Path}; this test needs {name} from it.");
        var path = System.IO.Path.Combine(Folder!, name);
        Skip.IfNot(System.IO.File.Exists(path) || Directory.Exists(path), $"{path} is not present; test skipped.");
        return path;
    }

    /// <summary>A file or folder below ../shared (e.g. "fixtures", "metrics"), or null when absent.</summary>
    public static string? Find(params string[] parts) =>
        Existing(System.IO.Path.Combine([RepositoryRoot.Path, "..", "shared", .. parts]));

    private static string? Existing(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return Directory.Exists(full) || System.IO.File.Exists(full) ? full : null;
    }
}
