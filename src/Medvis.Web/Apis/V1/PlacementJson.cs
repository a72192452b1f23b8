namespace Medvis.Web.Apis.V1;

/// <summary>New images placed on a run's map: one record per image, in upload order.</summary>
/// <param name="RunId">The run whose model placed them.</param>
/// <param name="Images">The images.</param>
/// <param name="NoveltyProblem">Why likeness to the training images could not be judged, or null.</param>
public sealed record PlacementJson(int RunId, IReadOnlyList<PlacedImageJson> Images, string? NoveltyProblem)
{
    /// <summary>The API's view of what the out-of-sample panel shows.</summary>
    public static PlacementJson Of(int runId, PlacedImages placed) => new(runId,
        Enumerable.Range(0, placed.Images.Count).Select(i => new PlacedImageJson(
            placed.Names[i], placed.X[i], placed.Y[i],
            placed.IsUnlike(i) ? null : placed.ClassNames[placed.Votes[i].Label],
            placed.IsUnlike(i) ? null : placed.Votes[i].Confidence,
            placed.Likeness?[i].Unlike, placed.Likeness?[i].Percentile,
            placed.Likeness?[i] is { Unlike: true } likeness ? likeness.Describe() : null,
            placed.Neighbours[i].Select(n => n.Point).ToArray())).ToList(),
        placed.NoveltyProblem);
}

/// <summary>One placed image.</summary>
/// <param name="Name">The uploaded file's name.</param>
/// <param name="X">Its map position.</param>
/// <param name="Y">Its map position.</param>
/// <param name="Class">The class most of its nearest training images carry; null when it is unlike the training images.</param>
/// <param name="Confidence">Their share; null when it is unlike the training images.</param>
/// <param name="UnlikeTrainingImages">Whether it is unlike the training images (null when that could not be judged).</param>
/// <param name="NoveltyPercentile">The share of training images nearer to their own neighbours than it is to them.</param>
/// <param name="Why">For an image unlike the training images, where and how far out it lies.</param>
/// <param name="Neighbours">Its nearest training images: map point indices, nearest first.</param>
public sealed record PlacedImageJson(string Name, float X, float Y, string? Class, double? Confidence, bool? UnlikeTrainingImages,
    double? NoveltyPercentile, string? Why, int[] Neighbours);
