using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Medvis.Core.Data;

/// <summary>A content hash of a dataset's pixels and labels, so a run card can tell whether it meets the same data.</summary>
public static class DatasetFingerprint
{
    /// <summary>
    /// "sha256:" and the hex SHA-256 of the shape (count, channels, height, width), the labels (int32 little-endian),
    /// the class names and the pixel bytes. File names, paths and timestamps do not enter it: a copied dataset hashes alike.
    /// </summary>
    public static string Of(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var number = new byte[4];
        void Add(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(number, value);
            hash.AppendData(number);
        }
        Add(data.Count); Add(data.Channels); Add(data.Height); Add(data.Width);
        foreach (var label in data.Labels) Add(label);
        Add(data.ClassNames.Count);
        foreach (var name in data.ClassNames)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            Add(bytes.Length);
            hash.AppendData(bytes);
        }
        hash.AppendData(data.Pixels);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
