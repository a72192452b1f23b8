using Medvis.Core.Data;

namespace Medvis.Core.Evaluation;

/// <summary>
/// How the kNN evaluation splits a map's points, the one place that decides it: stratified at random
/// (scikit-learn's split), or, when the images come in groups (a label table's group column), grouped, so that no
/// group has points on both sides and leave-one-out leaves a point's whole group out.
/// </summary>
public sealed class EvaluationSplit
{
    private EvaluationSplit(ImageGroups? groups) => Groups = groups;

    /// <summary>scikit-learn's stratified random split.</summary>
    public static EvaluationSplit Stratified { get; } = new(null);

    /// <summary>The groups kept together, or null for the stratified split.</summary>
    public ImageGroups? Groups { get; }

    /// <summary>
    /// Grouped by <paramref name="groups"/> when there are at least two groups (one group cannot be split);
    /// stratified otherwise.
    /// </summary>
    public static EvaluationSplit For(ImageGroups? groups) =>
        groups is not null && groups.Ids.Distinct().Skip(1).Any() ? new EvaluationSplit(groups) : Stratified;

    /// <summary>The train/test split of <paramref name="labels"/> for one seed.</summary>
    public TrainTestSplit Split(int[] labels, double testFraction, int seed) => Groups is null
        ? TrainTestSplit.Stratified(labels, testFraction, seed)
        : TrainTestSplit.Grouped(labels, Groups.Ids, testFraction, seed);

    /// <summary>What the metrics say about the split: "stratified random" or "grouped by lesion_id".</summary>
    public string Describe() => Groups is null ? "stratified random" : $"grouped by {Groups.Column}";
}
