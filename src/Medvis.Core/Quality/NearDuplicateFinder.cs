namespace Medvis.Core.Quality;

/// <summary>
/// Exact duplicates (equal pixel hashes) and near ones: points whose nearest neighbour is much closer than the
/// typical nearest-neighbour distance, in the map and in the features alike. Points joined by such close pairs
/// (or by equal pixels) form one group, so a hundred perturbed copies of one image show as one group.
/// </summary>
internal sealed class NearDuplicateFinder(QualityOptions options)
{
    /// <summary>The <see cref="QualityOptions.Top"/> most duplicate-like points, closest first.</summary>
    public IReadOnlyList<QualityItem> Find(QualityInput input, IReadOnlyList<NeighbourSpace> spaces)
    {
        var n = input.Labels.Length;
        var identical = IdenticalPartners(input.PixelHashes, n);
        var ratios = new double[n][];
        var combined = new double[n];
        for (var i = 0; i < n; i++)
        {
            ratios[i] = spaces.Select(s => s.Distances[i][0] / s.TypicalNearest).ToArray();
            combined[i] = identical[i] > 0 ? 0 : RelativeDistance.Combine(ratios[i]);
        }
        var groups = Groups(input.PixelHashes, spaces, ratios, combined);
        return TopRanked.Of(n, options.Top, (a, b) => combined[a].CompareTo(combined[b]) is var byDistance and not 0 ? byDistance : a.CompareTo(b))
            .Select(i => new QualityItem(i, input.Indices?[i] ?? i, input.Labels[i], Math.Max(0, 1 - combined[i]),
                Reason(i, identical[i], combined[i], spaces, ratios[i], input.Indices), groups[i], Partner(i, identical[i], input.PixelHashes, spaces)))
            .ToList();
    }

    /// <summary>The image a duplicate is shown beside: the first other one with its pixels, else its nearest neighbour.</summary>
    private static int Partner(int point, int identical, ulong[]? hashes, IReadOnlyList<NeighbourSpace> spaces)
    {
        if (identical > 0)
            for (var other = 0; other < hashes!.Length; other++)
                if (other != point && hashes[other] == hashes[point]) return other;
        return spaces[^1].Neighbours[point][0];
    }

    /// <summary>Per point, how many other points have exactly its pixels.</summary>
    private static int[] IdenticalPartners(ulong[]? hashes, int n)
    {
        if (hashes is null) return new int[n];
        var counts = hashes.CountBy(h => h).ToDictionary(p => p.Key, p => p.Value);
        return hashes.Select(h => counts[h] - 1).ToArray();
    }

    /// <summary>Per point, its group (smallest member row) when it shares pixels with, or lies close to, another point; else null.</summary>
    private int?[] Groups(ulong[]? hashes, IReadOnlyList<NeighbourSpace> spaces, double[][] ratios, double[] combined)
    {
        var sets = new DisjointSets(combined.Length);
        if (hashes is not null)
            foreach (var members in Enumerable.Range(0, hashes.Length).GroupBy(i => hashes[i]).Where(g => g.Count() > 1))
                foreach (var member in members.Skip(1)) sets.Join(members.First(), member);
        // Single linkage over every close neighbour, not just the nearest: copies of one image fall into
        // sub-clusters (one per shift, say) whose members are each other's nearest, and only the further
        // neighbours link the sub-clusters into one group.
        for (var i = 0; i < combined.Length; i++)
            if (combined[i] < options.GroupRatio)
                foreach (var space in spaces)
                    for (var m = 0; m < space.Neighbours[i].Length && space.Distances[i][m] < options.GroupRatio * space.TypicalNearest; m++)
                        sets.Join(i, space.Neighbours[i][m]);
        return Enumerable.Range(0, combined.Length).Select(i => sets.Size(i) > 1 ? sets.Smallest(i) : (int?)null).ToArray();
    }

    private static string Reason(int point, int identical, double combined, IReadOnlyList<NeighbourSpace> spaces, double[] ratios, int[]? indices)
    {
        if (identical > 0) return $"identical pixels to {identical} other image{(identical == 1 ? "" : "s")}";
        var nearest = spaces[^1].Neighbours[point][0];
        return $"nearest image (index {indices?[nearest] ?? nearest}) at {RelativeDistance.Times(combined)} the typical neighbour distance "
            + $"({RelativeDistance.Describe(spaces, ratios)})";
    }

    /// <summary>Union–find with path halving; each set remembers its smallest member and size.</summary>
    private sealed class DisjointSets
    {
        private readonly int[] _parent;
        private readonly int[] _size;
        private readonly int[] _smallest;

        public DisjointSets(int n)
        {
            _parent = Enumerable.Range(0, n).ToArray();
            _smallest = Enumerable.Range(0, n).ToArray();
            _size = Enumerable.Repeat(1, n).ToArray();
        }

        public void Join(int a, int b)
        {
            int rootA = Root(a), rootB = Root(b);
            if (rootA == rootB) return;
            if (_size[rootA] < _size[rootB]) (rootA, rootB) = (rootB, rootA);
            _parent[rootB] = rootA;
            _size[rootA] += _size[rootB];
            _smallest[rootA] = Math.Min(_smallest[rootA], _smallest[rootB]);
        }

        public int Size(int i) => _size[Root(i)];

        public int Smallest(int i) => _smallest[Root(i)];

        private int Root(int i)
        {
            while (_parent[i] != i) i = _parent[i] = _parent[_parent[i]];
            return i;
        }
    }
}
