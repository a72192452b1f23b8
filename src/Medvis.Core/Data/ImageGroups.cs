namespace Medvis.Core.Data;

/// <summary>
/// Which images belong together (several photos of one lesion, say): the evaluation keeps a group's images on one
/// side of every split, so near-identical images do not score each other.
/// </summary>
/// <param name="Column">What the groups are, as the table names it ("lesion_id").</param>
/// <param name="Ids">Per image its group, 0 … groups − 1.</param>
public sealed record ImageGroups(string Column, int[] Ids)
{
    /// <summary>The groups of the images at <paramref name="indices"/>, in that order.</summary>
    public ImageGroups Subset(IReadOnlyList<int> indices) => this with { Ids = indices.Select(i => Ids[i]).ToArray() };
}
