namespace Medvis.Core.Data.Metadata;

/// <summary>
/// The one rule by which a table's key names an image of a folder: its path below the folder ("class/name.png"),
/// its file name ("name.png") or its stem ("name", as HAM10000's <c>image_id</c>), in any case. A name two images
/// share matches neither; the key must then give the path.
/// </summary>
public sealed class ImageNameIndex
{
    /// <summary>What <see cref="Find"/> returns for a name no image has.</summary>
    public const int Unknown = -2;

    /// <summary>What <see cref="Find"/> returns for a name several images share.</summary>
    public const int Ambiguous = -1;

    private readonly Dictionary<string, int> _lookup = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="fileNames">Per image index its path below the dataset folder, forward or back slashes.</param>
    public ImageNameIndex(IReadOnlyList<string> fileNames)
    {
        for (var i = 0; i < fileNames.Count; i++)
        {
            var path = fileNames[i].Replace('\\', '/');
            var name = path[(path.LastIndexOf('/') + 1)..];
            foreach (var variant in new[] { path, name, Path.GetFileNameWithoutExtension(name) }.Distinct(StringComparer.OrdinalIgnoreCase))
                _lookup[variant] = _lookup.TryGetValue(variant, out var other) && other != i ? Ambiguous : i;
        }
    }

    /// <summary>The index of the image <paramref name="key"/> names, <see cref="Ambiguous"/> or <see cref="Unknown"/>.</summary>
    public int Find(string key) => _lookup.TryGetValue(key.Trim().Replace('\\', '/'), out var image) ? image : Unknown;
}
