namespace Medvis.Core.Evaluation;

/// <summary>Conversions between an N×2 map (<c>float[,]</c>) and its X and Y columns, the form storage and plots use.</summary>
public static class MapPoints
{
    /// <summary>The first two columns of <paramref name="coordinates"/> as separate arrays.</summary>
    public static (float[] X, float[] Y) Columns(float[,] coordinates)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        if (coordinates.GetLength(1) < 2) throw new ArgumentException($"A map needs two columns, got {coordinates.GetLength(1)}.");
        var n = coordinates.GetLength(0);
        var x = new float[n];
        var y = new float[n];
        for (var i = 0; i < n; i++) { x[i] = coordinates[i, 0]; y[i] = coordinates[i, 1]; }
        return (x, y);
    }

    /// <summary>An N×2 map from its columns.</summary>
    public static float[,] FromColumns(IReadOnlyList<float> x, IReadOnlyList<float> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values for {y.Count} y values.");
        var coordinates = new float[x.Count, 2];
        for (var i = 0; i < x.Count; i++) { coordinates[i, 0] = x[i]; coordinates[i, 1] = y[i]; }
        return coordinates;
    }
}
