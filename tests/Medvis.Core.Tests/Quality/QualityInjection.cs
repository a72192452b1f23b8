using Medvis.Core.Data;

namespace Medvis.Core.Tests.Quality;

/// <summary>A dataset with the paper's Fig. 6 problems appended, and which rows they are.</summary>
/// <param name="Images">The original images followed by the copies, then the artefacts.</param>
/// <param name="Duplicates">Rows of the duplicated original and its perturbed copies.</param>
/// <param name="Artefacts">Rows of the artefact images.</param>
/// <param name="FlippedLabels">Rows of original images given another class's label.</param>
internal sealed record InjectedDataset(ImageDataset Images, int[] Duplicates, int[] Artefacts, int[] FlippedLabels);

/// <summary>
/// The recipe of scripts/qc-inject.py on an in-memory dataset: perturbed copies of one image (a random 1-px shift
/// with edge replication plus uniform noise of at most ±6 grey levels) and artefacts of four kinds in turn
/// (a flat colour, a real image over-exposed ×4, stripes, random noise) with random labels; optionally, original
/// images other than the duplicated one given a random other class's label.
/// </summary>
internal static class QualityInjection
{
    public static InjectedDataset Inject(ImageDataset original, int source, int copies, int artefacts, int seed, int labelFlips = 0)
    {
        var random = new Random(seed);
        var size = original.ImageSize;
        var total = original.Count + copies + artefacts;
        var pixels = new byte[(long)total * size];
        original.Pixels.CopyTo(pixels, 0);
        var labels = new int[total];
        original.Labels.CopyTo(labels, 0);
        for (var c = 0; c < copies; c++)
        {
            var row = original.Count + c;
            ShiftedNoisyCopy(original, source, random).CopyTo(pixels.AsSpan(row * size, size));
            labels[row] = original.Labels[source];
        }
        for (var a = 0; a < artefacts; a++)
        {
            var row = original.Count + copies + a;
            Artefact(a % 4, original, random).CopyTo(pixels.AsSpan(row * size, size));
            labels[row] = random.Next(original.ClassNames.Count);
        }
        var flipped = Enumerable.Range(0, original.Count).Where(i => i != source).OrderBy(_ => random.Next()).Take(labelFlips).Order().ToArray();
        foreach (var row in flipped) labels[row] = (labels[row] + 1 + random.Next(original.ClassNames.Count - 1)) % original.ClassNames.Count;
        var images = new ImageDataset(original.Name + " + injected", pixels, total, original.Channels, original.Height,
            original.Width, labels, original.ClassNames);
        var duplicates = new[] { source }.Concat(Enumerable.Range(original.Count, copies)).ToArray();
        return new InjectedDataset(images, duplicates, Enumerable.Range(original.Count + copies, artefacts).ToArray(), flipped);
    }

    private static byte[] ShiftedNoisyCopy(ImageDataset images, int source, Random random)
    {
        int dx = random.Next(-1, 2), dy = random.Next(-1, 2);
        var image = images.Image(source);
        var copy = new byte[image.Length];
        for (var c = 0; c < images.Channels; c++)
            for (var y = 0; y < images.Height; y++)
                for (var x = 0; x < images.Width; x++)
                {
                    var from = image[(c * images.Height + Math.Clamp(y - dy, 0, images.Height - 1)) * images.Width + Math.Clamp(x - dx, 0, images.Width - 1)];
                    copy[(c * images.Height + y) * images.Width + x] = (byte)Math.Clamp(from + random.Next(-6, 7), 0, 255);
                }
        return copy;
    }

    private static byte[] Artefact(int kind, ImageDataset images, Random random)
    {
        var plane = images.Height * images.Width;
        var artefact = new byte[images.ImageSize];
        switch (kind)
        {
            case 0: // a flat colour
                for (var c = 0; c < images.Channels; c++) artefact.AsSpan(c * plane, plane).Fill((byte)random.Next(256));
                break;
            case 1: // a real image over-exposed to near white
                var source = images.Image(random.Next(images.Count));
                for (var i = 0; i < artefact.Length; i++) artefact[i] = (byte)Math.Min(255, source[i] * 4);
                break;
            case 2: // stripes of a random period and direction
                int period = random.Next(2, 7);
                var vertical = random.Next(2) == 0;
                for (var i = 0; i < artefact.Length; i++)
                {
                    int y = i % plane / images.Width, x = i % images.Width;
                    artefact[i] = (vertical ? x : y) / period % 2 == 0 ? (byte)230 : (byte)20;
                }
                break;
            default: // random noise
                random.NextBytes(artefact);
                break;
        }
        return artefact;
    }
}
