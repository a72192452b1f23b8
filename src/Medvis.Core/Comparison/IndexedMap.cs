namespace Medvis.Core.Comparison;

/// <summary>A 2-D map whose points are keyed by the dataset index of the image behind each point.</summary>
/// <param name="X">First coordinate per point.</param>
/// <param name="Y">Second coordinate per point.</param>
/// <param name="DatasetIndices">Dataset image index per point; each image appears at most once.</param>
public sealed record IndexedMap(float[] X, float[] Y, int[] DatasetIndices)
{
    /// <summary>Points in the map.</summary>
    public int Count => X.Length;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> unless the columns agree and no image repeats.</summary>
    public void Check(string name)
    {
        if (X.Length != Y.Length || X.Length != DatasetIndices.Length)
            throw new ArgumentException($"{name}: {X.Length} x, {Y.Length} y and {DatasetIndices.Length} dataset indices differ in length.");
        var seen = new HashSet<int>();
        foreach (var index in DatasetIndices)
            if (!seen.Add(index))
                throw new ArgumentException($"{name}: dataset image {index} appears twice.");
    }
}
