namespace Medvis.Core.Evaluation;

/// <summary>Input checks and layout conversions shared by the evaluation code (points are N×D <c>float[,]</c>).</summary>
internal static class PointMatrix
{
    /// <summary>Throws a one-line <see cref="ArgumentException"/> unless points and labels describe the same non-empty set.</summary>
    public static void CheckPointsAndLabels(float[,] points, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        var n = points.GetLength(0);
        if (n == 0 || points.GetLength(1) == 0)
            throw new ArgumentException($"Points must be a non-empty N×D array, got {n}×{points.GetLength(1)}.");
        if (labels.Length != n)
            throw new ArgumentException($"{labels.Length} labels for {n} points.");
        foreach (var label in labels)
            if (label < 0)
                throw new ArgumentException($"Labels must be non-negative class indices, found {label}.");
        CheckFinite(points);
    }

    /// <summary>Throws when any coordinate is NaN or infinite (a diverged map), which would poison every metric.</summary>
    public static void CheckFinite(float[,] points)
    {
        var n = points.GetLength(0);
        var d = points.GetLength(1);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < d; j++)
                if (!float.IsFinite(points[i, j]))
                    throw new ArgumentException($"Point {i} has a non-finite coordinate ({points[i, j]}).");
    }

    /// <summary>Number of classes implied by the labels (largest label + 1).</summary>
    public static int ClassCount(int[] labels) => labels.Length == 0 ? 0 : labels.Max() + 1;

    /// <summary>Column-major copy in double precision (one array per dimension), in the given row order.</summary>
    public static double[][] Columns(float[,] points, IReadOnlyList<int> rows)
    {
        var d = points.GetLength(1);
        var columns = new double[d][];
        for (var j = 0; j < d; j++)
        {
            var column = new double[rows.Count];
            for (var r = 0; r < rows.Count; r++) column[r] = points[rows[r], j];
            columns[j] = column;
        }
        return columns;
    }

    /// <summary>Row-major double copy of the given rows, ready for <c>torch.tensor</c>.</summary>
    public static double[] RowMajor(float[,] points, IReadOnlyList<int> rows)
    {
        var d = points.GetLength(1);
        var data = new double[(long)rows.Count * d];
        for (var r = 0; r < rows.Count; r++)
            for (var j = 0; j < d; j++)
                data[(long)r * d + j] = points[rows[r], j];
        return data;
    }
}
