using Medvis.Core.Storage;

namespace Medvis.Web.Tests.Support;

/// <summary>The local disk, with the free space the test says.</summary>
public sealed class ReportedVolume : IStorageVolume
{
    /// <summary>What <see cref="FreeBytes"/> reports.</summary>
    public long Free { get; set; }

    /// <inheritdoc />
    public long? FreeBytes(string folder) => Free;

    /// <inheritdoc />
    public Stream OpenFile(string path) => LocalVolume.Instance.OpenFile(path);
}
