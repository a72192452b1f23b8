namespace Medvis.Core.Data.Synthetic;

/// <summary>
/// Draws one blood-smear-like field: pink background, a few neighbouring red cells, and a centred cell whose
/// class is told by its morphology (nucleus shape, granules, size). Orientation, offset, size and stain colour
/// are random and independent of the class, so mean colour alone does not separate classes.
/// </summary>
internal static class BloodCellRenderer
{
    /// <summary>The classes, indexed like the labels.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "round nucleus", "bilobed nucleus", "multi-lobed nucleus", "kidney-shaped nucleus",
        "granular cytoplasm", "red cell", "platelet cluster", "large blast",
    ];

    /// <summary>Renders class <paramref name="label"/> into <paramref name="planes"/> (3×size×size) using only <paramref name="random"/>.</summary>
    public static void Render(int label, Random random, int size, Span<byte> planes)
    {
        var stain = StainPalette.Sample(random);
        var canvas = new CellCanvas(size);
        canvas.Fill(stain.Background);
        PaintNeighbourRedCells(canvas, random, stain);

        var angle = (float)(random.NextDouble() * 2 * Math.PI);
        var frame = new CellFrame(Uniform(random, -0.12f, 0.12f), Uniform(random, -0.12f, 0.12f),
            MathF.Cos(angle), MathF.Sin(angle), random.Next(2) == 1);
        var scale = Uniform(random, 0.9f, 1.1f);
        switch (label)
        {
            case 0: PaintRoundNucleusCell(canvas, frame, random, stain, 0.5f * scale); break;
            case 1: PaintBilobedCell(canvas, frame, random, stain, 0.64f * scale); break;
            case 2: PaintMultiLobedCell(canvas, frame, random, stain, 0.64f * scale); break;
            case 3: PaintKidneyCell(canvas, frame, random, stain, 0.74f * scale); break;
            case 4: PaintGranularCell(canvas, frame, random, stain, 0.6f * scale); break;
            case 5: PaintRedCell(canvas, frame, stain, 0.52f * scale); break;
            case 6: PaintPlateletCluster(canvas, frame, random, stain, scale); break;
            case 7: PaintBlast(canvas, frame, random, stain, 0.84f * scale); break;
            default: throw new ArgumentOutOfRangeException(nameof(label), $"no synthetic class {label}");
        }
        canvas.WriteTo(planes, random, Uniform(random, 3f, 8f), Uniform(random, -0.06f, 0.06f), Uniform(random, -0.06f, 0.06f));
    }

    private static float Uniform(Random random, float low, float high) => low + (float)random.NextDouble() * (high - low);

    private static void PaintNeighbourRedCells(CellCanvas canvas, Random random, StainPalette stain)
    {
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var direction = Uniform(random, 0, 2 * MathF.PI);
            var distance = Uniform(random, 1.0f, 1.3f);
            var frame = new CellFrame(distance * MathF.Cos(direction), distance * MathF.Sin(direction), 1, 0, false);
            PaintRedCell(canvas, frame, stain, Uniform(random, 0.4f, 0.5f));
        }
    }

    /// <summary>The cell body: a slightly oval, slightly wavy disc.</summary>
    private static void PaintCytoplasm(CellCanvas canvas, CellFrame frame, Random random, Rgb colour, float radius)
    {
        var oval = Uniform(random, 0f, 0.08f);
        var wave = Uniform(random, 0f, 0.04f);
        var phase = Uniform(random, 0, 2 * MathF.PI);
        canvas.Paint(frame.Place((u, v) =>
        {
            var edge = radius * (1 + wave * MathF.Sin(3 * MathF.Atan2(v, u) + phase));
            return Sdf.Ellipse(u, v, 0, 0, edge * (1 + oval), edge * (1 - oval));
        }, 0, 0, radius * 1.15f), colour);
    }

    private static void PaintGranules(CellCanvas canvas, CellFrame frame, Random random, Rgb colour, float cellRadius,
        int count, float granuleRadius, float opacity)
    {
        for (var i = 0; i < count; i++)
        {
            var r = cellRadius * 0.9f * MathF.Sqrt((float)random.NextDouble());
            var a = Uniform(random, 0, 2 * MathF.PI);
            float u = r * MathF.Cos(a), v = r * MathF.Sin(a), g = granuleRadius * Uniform(random, 0.7f, 1.3f);
            canvas.Paint(frame.Place((x, y) => Sdf.Circle(x, y, u, v, g), u, v, g), colour, opacity);
        }
    }

    /// <summary>Lymphocyte-like: small cell, a big round nucleus filling most of it.</summary>
    private static void PaintRoundNucleusCell(CellCanvas canvas, CellFrame frame, Random random, StainPalette stain, float radius)
    {
        PaintCytoplasm(canvas, frame, random, stain.PaleBlueCytoplasm, radius);
        var offset = radius * Uniform(random, 0.05f, 0.12f);
        var nucleus = radius * Uniform(random, 0.76f, 0.84f);
        canvas.Paint(frame.Place((u, v) => Sdf.Circle(u, v, offset, 0, nucleus), offset, 0, nucleus), stain.Nucleus);
    }

    /// <summary>Eosinophil-like: two nuclear lobes joined by a thin bridge, coarse eosin granules.</summary>
    private static void PaintBilobedCell(CellCanvas canvas, CellFrame frame, Random random, StainPalette stain, float radius)
    {
        PaintCytoplasm(canvas, frame, random, stain.Cytoplasm, radius);
        PaintGranules(canvas, frame, random, stain.EosinGranule, radius, 26, radius * 0.09f, 0.75f);
        var spread = radius * Uniform(random, 0.36f, 0.44f);
        var lobe = radius * Uniform(random, 0.28f, 0.33f);
        var bend = radius * Uniform(random, 0.05f, 0.15f);
        canvas.Paint(frame.Place((u, v) => MathF.Min(
            MathF.Min(Sdf.Circle(u, v, -spread, bend, lobe), Sdf.Circle(u, v, spread, bend, lobe)),
            Sdf.Capsule(u, v, -spread, bend, spread, bend, lobe * 0.3f)), 0, bend, spread + lobe), stain.Nucleus);
    }

    /// <summary>Neutrophil-like: three to five small lobes strung along an arc.</summary>
    private static void PaintMultiLobedCell(CellCanvas canvas, CellFrame frame, Random random, StainPalette stain, float radius)
    {
        PaintCytoplasm(canvas, frame, random, stain.Cytoplasm, radius);
        PaintGranules(canvas, frame, random, stain.FineGranule, radius, 20, radius * 0.05f, 0.35f);
        var lobes = random.Next(3, 6);
        var arc = radius * Uniform(random, 0.42f, 0.5f);
        var lobe = radius * Uniform(random, 0.19f, 0.23f);
        var centres = Enumerable.Range(0, lobes).Select(k =>
        {
            var a = (k - (lobes - 1) / 2f) * 1.15f + Uniform(random, -0.15f, 0.15f);
            return (U: arc * MathF.Cos(a), V: arc * MathF.Sin(a));
        }).ToArray();
        canvas.Paint(frame.Place((u, v) =>
        {
            var d = float.MaxValue;
            for (var k = 0; k < centres.Length; k++)
            {
                d = MathF.Min(d, Sdf.Circle(u, v, centres[k].U, centres[k].V, lobe));
                if (k > 0) d = MathF.Min(d, Sdf.Capsule(u, v, centres[k - 1].U, centres[k - 1].V, centres[k].U, centres[k].V, lobe * 0.3f));
            }
            return d;
        }, 0, 0, arc + lobe), stain.Nucleus);
    }

    /// <summary>Monocyte-like: large cell, grey-blue cytoplasm with vacuoles, an indented (kidney) nucleus.</summary>
    private static void PaintKidneyCell(CellCanvas canvas, CellFrame frame, Random random, StainPalette stain, float radius)
    {
        PaintCytoplasm(canvas, frame, random, stain.GreyCytoplasm, radius);
        PaintGranules(canvas, frame, random, stain.Background, radius, 4, radius * 0.08f, 0.6f);
        var a = radius * Uniform(random, 0.56f, 0.64f);
        var b = radius * Uniform(random, 0.4f, 0.46f);
        var bite = radius * Uniform(random, 0.26f, 0.32f);
        canvas.Paint(frame.Place((u, v) => MathF.Max(
            Sdf.Ellipse(u, v, -0.1f * radius, 0, b, a),
            -Sdf.Circle(u, v, -0.1f * radius + b * 1.05f, 0, bite)), 0, 0, a), stain.Nucleus);
    }

    /// <summary>Basophil-like: a faint nucleus hidden under dense dark granules.</summary>
    private static void PaintGranularCell(CellCanvas canvas, CellFrame frame, Random random, StainPalette stain, float radius)
    {
        PaintCytoplasm(canvas, frame, random, stain.Cytoplasm, radius);
        var nucleus = radius * 0.55f;
        canvas.Paint(frame.Place((u, v) => Sdf.Circle(u, v, 0, 0, nucleus), 0, 0, nucleus), stain.Nucleus, 0.6f);
        PaintGranules(canvas, frame, random, stain.DarkGranule, radius, 40, radius * 0.085f, 0.9f);
    }

    /// <summary>Erythrocyte: anucleate disc, darker rim and pale centre.</summary>
    private static void PaintRedCell(CellCanvas canvas, CellFrame frame, StainPalette stain, float radius)
    {
        canvas.Paint(frame.Place((u, v) => Sdf.Circle(u, v, 0, 0, radius), 0, 0, radius), stain.RedCell);
        var pallor = radius * 0.45f;
        canvas.Paint(frame.Place((u, v) => Sdf.Circle(u, v, 0, 0, pallor), 0, 0, pallor), stain.Background, 0.55f);
    }

    /// <summary>A few small purple fragments and no cell body.</summary>
    private static void PaintPlateletCluster(CellCanvas canvas, CellFrame frame, Random random, StainPalette stain, float scale)
    {
        var count = random.Next(3, 7);
        for (var i = 0; i < count; i++)
        {
            var r = 0.3f * scale * MathF.Sqrt((float)random.NextDouble());
            var a = Uniform(random, 0, 2 * MathF.PI);
            float u = r * MathF.Cos(a), v = r * MathF.Sin(a);
            float ra = Uniform(random, 0.07f, 0.12f) * scale, rb = ra * Uniform(random, 0.6f, 1f);
            canvas.Paint(frame.Place((x, y) => Sdf.Ellipse(x, y, u, v, ra, rb), u, v, ra), stain.PlateletBody, 0.9f);
            canvas.Paint(frame.Place((x, y) => Sdf.Circle(x, y, u, v, rb * 0.5f), u, v, rb), stain.Nucleus, 0.7f);
        }
    }

    /// <summary>Very large cell, big round open nucleus with pale nucleoli.</summary>
    private static void PaintBlast(CellCanvas canvas, CellFrame frame, Random random, StainPalette stain, float radius)
    {
        PaintCytoplasm(canvas, frame, random, stain.PaleBlueCytoplasm, radius);
        var nucleus = radius * Uniform(random, 0.68f, 0.76f);
        var offset = radius * 0.12f;
        canvas.Paint(frame.Place((u, v) => Sdf.Circle(u, v, offset, 0, nucleus), offset, 0, nucleus), stain.OpenNucleus);
        var nucleoli = random.Next(1, 3);
        for (var i = 0; i < nucleoli; i++)
        {
            float u = offset + nucleus * Uniform(random, -0.4f, 0.4f), v = nucleus * Uniform(random, -0.4f, 0.4f), r = radius * 0.12f;
            canvas.Paint(frame.Place((x, y) => Sdf.Circle(x, y, u, v, r), u, v, r), stain.PaleBlueCytoplasm, 0.7f);
        }
    }
}

/// <summary>One image's stain: base Giemsa-like colours under a random stain strength, channel gain and shift.</summary>
internal sealed record StainPalette(Rgb Background, Rgb RedCell, Rgb Cytoplasm, Rgb PaleBlueCytoplasm, Rgb GreyCytoplasm,
    Rgb Nucleus, Rgb OpenNucleus, Rgb EosinGranule, Rgb FineGranule, Rgb DarkGranule, Rgb PlateletBody)
{
    public static StainPalette Sample(Random random)
    {
        float U(float a, float b) => a + (float)random.NextDouble() * (b - a);
        var strength = U(0.7f, 1.2f);
        var gain = new Rgb(U(0.9f, 1.08f), U(0.86f, 1.02f), U(0.9f, 1.1f));
        var nucleusHue = U(0f, 1f);
        Rgb Stain(Rgb c) => new(
            Math.Clamp((255 - strength * (255 - c.R)) * gain.R, 0, 255),
            Math.Clamp((255 - strength * (255 - c.G)) * gain.G, 0, 255),
            Math.Clamp((255 - strength * (255 - c.B)) * gain.B, 0, 255));
        var nucleus = new Rgb(85, 45, 150).Lerp(new Rgb(130, 55, 150), nucleusHue);
        return new StainPalette(
            Background: Stain(new Rgb(238, 218, 216)),
            RedCell: Stain(new Rgb(224, 156, 162)),
            Cytoplasm: Stain(new Rgb(222, 196, 222)),
            PaleBlueCytoplasm: Stain(new Rgb(196, 196, 232)),
            GreyCytoplasm: Stain(new Rgb(204, 196, 214)),
            Nucleus: Stain(nucleus),
            OpenNucleus: Stain(nucleus.Lerp(new Rgb(190, 160, 215), 0.35f)),
            EosinGranule: Stain(new Rgb(228, 128, 96)),
            FineGranule: Stain(new Rgb(190, 150, 200)),
            DarkGranule: Stain(new Rgb(55, 25, 95)),
            PlateletBody: Stain(new Rgb(175, 140, 205)));
    }
}
