namespace Medvis.Core.Data;

/// <summary>
/// The folders datasets may be registered from. A path is accepted only when its canonical form (absolute,
/// "." and ".." removed, every symbolic link resolved) lies below the canonical form of a root.
/// </summary>
public sealed class DataRoots
{
    private readonly IReadOnlyList<string> _roots;

    /// <param name="roots">Root folders; relative ones are taken from <paramref name="baseFolder"/>.</param>
    /// <param name="baseFolder">What relative roots and paths are relative to.</param>
    public DataRoots(IEnumerable<string> roots, string baseFolder)
    {
        BaseFolder = Path.GetFullPath(baseFolder);
        _roots = roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => Canonical(Path.Combine(BaseFolder, r.Trim()))).Distinct().ToList();
    }

    /// <summary>The message for every refused path: the same whether or not the path exists, so it reveals nothing.</summary>
    public const string OutsideRootsMessage = "That path is not below a data root of this server (Medvis:DataRoots).";

    public string BaseFolder { get; }

    /// <summary>The canonical roots.</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The canonical form of <paramref name="path"/> when it lies below a root (or is one), else null.</summary>
    public string? Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0')) return null;
        string canonical;
        try
        {
            canonical = Canonical(Path.Combine(BaseFolder, path.Trim()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
        return _roots.Any(root => IsWithin(canonical, root)) ? canonical : null;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (whole path segments only).</summary>
    public static bool IsWithin(string path, string root)
    {
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path == root || path.StartsWith(rootWithSeparator, StringComparison.Ordinal);
    }

    /// <summary>
    /// The absolute path with every existing symbolic link resolved, one segment at a time, so a link anywhere in
    /// the path (not just the last segment) is followed. Segments that do not exist are kept as written.
    /// </summary>
    public static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var pending = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (pending.TryDequeue(out var segment))
        {
            var next = Path.Combine(current, segment);
            var target = LinkTarget(next);
            if (target is null) { current = next; continue; }
            // A loop of links would never end; the kernel gives up after 40 as well.
            if (++hops > 40) throw new IOException("Too many levels of symbolic links.");
            var resolved = Path.GetFullPath(Path.Combine(current, target));
            var rest = pending.ToArray();
            var resolvedRoot = Path.GetPathRoot(resolved)!;
            pending = new Queue<string>(resolved[resolvedRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
            current = resolvedRoot;
        }
        return current;
    }

    // readlink on the path itself: works for links to files and folders, and for dangling links; null for the rest.
    private static string? LinkTarget(string path) => new FileInfo(path).LinkTarget;
}
