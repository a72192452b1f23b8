using TorchSharp;
using static TorchSharp.torch;

namespace Medvis.Core.Augmentation;

/// <summary>
/// The geometric part of a view (90° turn, arbitrary rotation, crop, flips) as one 2×3 matrix per sample, applied
/// with a single <c>affine_grid</c> + <c>grid_sample</c>: bilinear in general, nearest neighbour for the pure
/// flips and quarter turns, which makes those pixel-exact.
/// </summary>
/// <remarks>
/// Matrices map output coordinates to input coordinates in <c>affine_grid</c>'s normalised space (−1..1 across the
/// image, <c>align_corners: false</c>, so pixel centres sit at (2i+1)/n − 1). Each step k of the pipeline samples
/// its input at M_k·p, so the whole pipeline samples the original at M_rot90·M_angle·M_crop·M_hflip·M_vflip·p.
/// Rotations are done in pixel units (conjugated by the half-size scaling) so non-square images are not sheared.
/// Deviation from the reference (torchvision on PIL images): there, RandomRotation resamples with nearest
/// neighbour and RandomResizedCrop resamples again bilinearly; here the composed transform is sampled once,
/// bilinearly, which blurs less. The crop never reaches outside the image; pixels that come from outside the
/// rotated image take the fill colour (with a one-pixel soft edge instead of nearest neighbour's jagged one).
/// </remarks>
internal static class GeometricWarp
{
    /// <summary>The 2×3 matrix (row-major) of one view for an image of the given size.</summary>
    public static double[] Matrix(in ViewParameters view, int height, int width)
    {
        var m = Affine.Identity;
        if (view.QuarterTurns % 4 != 0) m = m.Then(Affine.QuarterTurns(view.QuarterTurns, height, width));
        if (view.AngleDegrees != 0) m = m.Then(Affine.Rotation(view.AngleDegrees, height, width));
        if (view.Crop != CropBox.Full) m = m.Then(Affine.Crop(view.Crop));
        if (view.HorizontalFlip) m = m.Then(Affine.Scale(-1, 1));
        if (view.VerticalFlip) m = m.Then(Affine.Scale(1, -1));
        return m.ToArray();
    }

    /// <summary>True when the matrix leaves every pixel where it is.</summary>
    public static bool IsIdentity(ReadOnlySpan<double> matrix) => matrix.SequenceEqual(Affine.Identity.ToArray());

    /// <summary>
    /// True for the 8 flips and quarter turns of a square image, and flips of any image (entries 0 or ±1, no shift): they move pixel centres
    /// onto pixel centres, so nearest-neighbour sampling reproduces them exactly, where bilinear sampling would be off
    /// by float rounding of the grid (~1e-6).
    /// </summary>
    public static bool MovesWholePixels(ReadOnlySpan<double> matrix) =>
        matrix[2] == 0 && matrix[5] == 0
        && IsUnitOrZero(matrix[0]) && IsUnitOrZero(matrix[1]) && IsUnitOrZero(matrix[3]) && IsUnitOrZero(matrix[4]);

    private static bool IsUnitOrZero(double value) => value is 0 or 1 or -1;

    /// <summary>
    /// True when some output pixel would be sampled outside the image (a rotated view's corners). The sampled points
    /// are the affine image of the rectangle of output pixel centres, so checking its four corners suffices.
    /// </summary>
    public static bool ReachesOutside(ReadOnlySpan<double> matrix, int height, int width)
    {
        var (cx, cy) = (1 - 1.0 / width, 1 - 1.0 / height);
        foreach (var (x, y) in new[] { (-cx, -cy), (cx, -cy), (-cx, cy), (cx, cy) })
        {
            var sx = matrix[0] * x + matrix[1] * y + matrix[2];
            var sy = matrix[3] * x + matrix[4] * y + matrix[5];
            if (Math.Abs(sx) > 1 + 1e-9 || Math.Abs(sy) > 1 + 1e-9) return true;
        }
        return false;
    }

    /// <summary>
    /// Samples <paramref name="images"/> (N×C×H×W) bilinearly at the given per-sample matrices (N·6 values).
    /// Inside the image, edge pixels are repeated up to the image's outer edge (as a crop-then-resize does); beyond
    /// it, when <paramref name="reachesOutside"/>, the colour fades to <paramref name="fill"/> (1×C×1×1) over one
    /// pixel, which keeps rotated edges smooth.
    /// </summary>
    public static Tensor Interpolate(Tensor images, double[] matrices, Tensor fill, bool reachesOutside)
    {
        var grid = Grid(images, matrices);
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var sampled = nn.functional.grid_sample(images, grid,
            mode: GridSampleMode.Bilinear, padding_mode: GridSamplePaddingMode.Border, align_corners: false);
        if (!reachesOutside) return sampled.clamp_(zero, one);
        return fill.lerp(sampled, Coverage(grid, images.shape[2], images.shape[3])).clamp_(zero, one);
    }

    /// <summary>
    /// How much of each output pixel comes from the image (1) rather than the fill (0): 1 inside, falling linearly
    /// to 0 one pixel beyond the edge, per axis. N×1×H×W.
    /// </summary>
    private static Tensor Coverage(Tensor grid, long height, long width)
    {
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var pixelsPerUnit = tensor(new float[] { width / 2f, height / 2f }, dtype: grid.dtype, device: grid.device);
        var pixelsOutside = grid.abs().sub_(one).mul_(pixelsPerUnit);
        var perAxis = pixelsOutside.neg_().add_(one, one).clamp_(zero, one);
        return perAxis.prod(-1).unsqueeze(1);
    }

    /// <summary>
    /// Samples at matrices that <see cref="MovesWholePixels"/>: nearest neighbour picks the exact source pixels, and
    /// no fill is needed because such moves never leave the image.
    /// </summary>
    public static Tensor MoveWholePixels(Tensor images, double[] matrices) =>
        nn.functional.grid_sample(images, Grid(images, matrices),
            mode: GridSampleMode.Nearest, padding_mode: GridSamplePaddingMode.Zeros, align_corners: false);

    private static Tensor Grid(Tensor images, double[] matrices)
    {
        var theta = tensor(matrices, new long[] { images.shape[0], 2, 3 }, dtype: float64).to(images.dtype, images.device);
        return nn.functional.affine_grid(theta, images.shape, align_corners: false);
    }

    /// <summary>A 2-D affine map x ↦ A·x + b in normalised coordinates; <see cref="Then"/> composes inverse maps.</summary>
    private readonly record struct Affine(double A11, double A12, double B1, double A21, double A22, double B2)
    {
        public static Affine Identity => new(1, 0, 0, 0, 1, 0);

        public static Affine Scale(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

        /// <summary>Samples the region of the crop box, so that it fills the output.</summary>
        public static Affine Crop(CropBox box) =>
            new(box.Width, 0, 2 * box.Left + box.Width - 1, 0, box.Height, 2 * box.Top + box.Height - 1);

        /// <summary>Exact quarter turns (no cos/sin rounding), so a 90° turn of a square image hits pixel centres.</summary>
        public static Affine QuarterTurns(int turns, int height, int width)
        {
            var (cos, sin) = (((turns % 4) + 4) % 4) switch { 0 => (1, 0), 1 => (0, 1), 2 => (-1, 0), _ => (0, -1) };
            return Rotation(cos, sin, height, width);
        }

        public static Affine Rotation(double degrees, int height, int width)
        {
            var radians = degrees * Math.PI / 180;
            return Rotation(Math.Cos(radians), Math.Sin(radians), height, width);
        }

        /// <summary>
        /// Inverse map of a counter-clockwise turn (y points down): input = R⁻¹·output in pixel units, expressed in
        /// normalised coordinates (x scaled by W/2, y by H/2).
        /// </summary>
        private static Affine Rotation(double cos, double sin, int height, int width)
        {
            var aspect = (double)width / height;
            return new(cos, -sin / aspect, 0, sin * aspect, cos, 0);
        }

        /// <summary>This map followed by <paramref name="next"/> in the sampling chain: x ↦ this(next(x)).</summary>
        public Affine Then(Affine next) => new(
            A11 * next.A11 + A12 * next.A21, A11 * next.A12 + A12 * next.A22, A11 * next.B1 + A12 * next.B2 + B1,
            A21 * next.A11 + A22 * next.A21, A21 * next.A12 + A22 * next.A22, A21 * next.B1 + A22 * next.B2 + B2);

        public double[] ToArray() => [A11, A12, B1, A21, A22, B2];
    }
}
