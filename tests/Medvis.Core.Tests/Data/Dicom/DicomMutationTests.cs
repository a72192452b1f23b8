using Medvis.Core.Data;

namespace Medvis.Core.Tests.Data.Dicom;

/// <summary>
/// Seeded random damage to a generated file of every encoding — flipped bytes, cut ends, lengths and tags made up —
/// may only ever end in a one-line refusal (or a decoded image), never in another exception.
/// </summary>
public sealed class DicomMutationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void DamagedFilesOfEveryEncodingAreRefusedInOneLineOrDecoded()
    {
        DicomChestFolder.Write(_temp.Path, perClass: 7);
        var originals = Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories).Order().Select(File.ReadAllBytes).ToList();
        var random = new Random(4711);
        var outcomes = new Dictionary<string, int>();

        foreach (var original in originals)
            for (var trial = 0; trial < 300; trial++)
            {
                var damaged = Damage(original, random);
                try
                {
                    ImageDecoding.DecodeSquare(damaged, 8, 1, InputLimits.Default, "damaged.dcm");
                    outcomes["decoded"] = outcomes.GetValueOrDefault("decoded") + 1;
                }
                catch (Exception e) when (e is FormatException or DatasetFormatException)
                {
                    Assert.False(e.Message.Contains('\n'), e.Message.ReplaceLineEndings("⏎"));
                    outcomes["refused"] = outcomes.GetValueOrDefault("refused") + 1;
                }
            }

        Assert.True(outcomes.GetValueOrDefault("refused") > 100, string.Join(", ", outcomes));
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var bytes = original.ToArray();
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(132, bytes.Length)];
            case 1:
                for (var i = 0; i < 1 + random.Next(8); i++) bytes[random.Next(132, bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                // A length field made enormous or odd: four bytes somewhere after the preamble.
                var at = random.Next(132, bytes.Length - 4);
                BitConverter.GetBytes(random.Next(2) == 0 ? 0xFFFF_FFFFu : (uint)random.Next()).CopyTo(bytes, at);
                return bytes;
            default:
                // An item or delimiter tag dropped somewhere.
                var where = random.Next(132, bytes.Length - 4);
                new byte[] { 0xFE, 0xFF, (byte)(random.Next(2) == 0 ? 0x00 : 0xDD), 0xE0 }.CopyTo(bytes, where);
                return bytes;
        }
    }
}
