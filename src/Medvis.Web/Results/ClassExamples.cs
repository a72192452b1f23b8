namespace Medvis.Web.Results;

/// <summary>
/// A few sample points per class for a legend with thumbnails: a seeded random draw within each class, so a projector
/// legend shows typical members rather than the first ones stored, and the same ones on every reload.
/// </summary>
public static class ClassExamples
{
    /// <summary>For each class 0 … <paramref name="classCount"/> − 1, up to <paramref name="perClass"/> point indices of that class.</summary>
    public static int[][] Pick(IReadOnlyList<int> labels, int classCount, int perClass, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(classCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        var random = new Random(seed);
        var members = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Count; i++)
            if (labels[i] >= 0 && labels[i] < classCount) members[labels[i]].Add(i);
        return members.Select(m => m.OrderBy(_ => random.Next()).Take(perClass).Order().ToArray()).ToArray();
    }
}
