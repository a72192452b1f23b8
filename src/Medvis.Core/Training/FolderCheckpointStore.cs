using System.Text;

namespace Medvis.Core.Training;

/// <summary>
/// Keeps the latest checkpoint as one file in a folder (the CLI's store). Writes go to a temporary file that
/// then replaces the checkpoint, so a crash mid-write leaves the previous checkpoint intact.
/// </summary>
public sealed class FolderCheckpointStore : ICheckpointStore
{
    private const string FileName = "checkpoint.bin";
    private static readonly byte[] Magic = "MVCK1"u8.ToArray();

    /// <summary>Uses (and creates) <paramref name="folder"/>.</summary>
    public FolderCheckpointStore(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The folder holding the checkpoint.</summary>
    public string Folder { get; }

    /// <summary>The checkpoint file's full path.</summary>
    public string FilePath => Path.Combine(Folder, FileName);

    /// <inheritdoc />
    public void Save(TrainingCheckpoint checkpoint)
    {
        var temporary = Path.Combine(Folder, $"{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(checkpoint.GlobalEpoch);
                writer.Write(checkpoint.SavedAtUtc.ToUniversalTime().Ticks);
                writer.Write(checkpoint.State.Length);
                writer.Write(checkpoint.State);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">When the file exists but is not a checkpoint written by this store.</exception>
    public TrainingCheckpoint? LoadLatest()
    {
        if (!File.Exists(FilePath)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(FilePath), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{FilePath}: not a Medvis checkpoint");
            var epoch = reader.ReadInt32();
            var saved = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
            var length = reader.ReadInt32();
            if (epoch < 0 || length < 0 || length > reader.BaseStream.Length)
                throw new InvalidDataException($"{FilePath}: corrupt checkpoint header");
            var state = reader.ReadBytes(length);
            if (state.Length != length) throw new InvalidDataException($"{FilePath}: truncated checkpoint");
            return new TrainingCheckpoint(epoch, state, saved);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{FilePath}: truncated checkpoint", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"{FilePath}: corrupt checkpoint header", e);
        }
    }
}
