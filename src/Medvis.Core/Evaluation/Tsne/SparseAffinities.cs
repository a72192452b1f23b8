namespace Medvis.Core.Evaluation.Tsne;

/// <summary>Symmetric t-SNE input similarities P in compressed-row form; all entries sum to 1.</summary>
internal sealed class SparseAffinities
{
    private SparseAffinities(int[] rowStart, int[] columns, double[] values)
    {
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    public int[] RowStart { get; }
    public int[] Columns { get; }
    public double[] Values { get; }
    public int Count => RowStart.Length - 1;

    /// <summary>
    /// Gaussian conditional probabilities over each point's nearest neighbours, each bandwidth found by
    /// bisection so the row's perplexity matches, then P = (P_cond + P_condᵀ) / 2N.
    /// </summary>
    public static SparseAffinities FromNeighbours(NeighborLists neighbours, double perplexity)
    {
        var n = neighbours.Indices.Length;
        var conditional = new double[n][];
        Parallel.For(0, n, i => conditional[i] = ConditionalRow(neighbours.SquaredDistances[i], perplexity));
        return Symmetrise(neighbours.Indices, conditional);
    }

    /// <summary>p(j|i) ∝ exp(−β d²_ij) with β chosen so that exp(entropy) equals the perplexity.</summary>
    internal static double[] ConditionalRow(double[] squaredDistances, double perplexity)
    {
        var targetEntropy = Math.Log(perplexity);
        var nearest = squaredDistances.Min();
        var row = new double[squaredDistances.Length];
        double beta = 1, low = double.NegativeInfinity, high = double.PositiveInfinity;
        for (var step = 0; step < 200; step++)
        {
            // Shifting by the nearest distance keeps exp() from underflowing for far-apart data.
            double sum = 0, weighted = 0;
            for (var j = 0; j < row.Length; j++)
            {
                row[j] = Math.Exp(-beta * (squaredDistances[j] - nearest));
                sum += row[j];
                weighted += row[j] * (squaredDistances[j] - nearest);
            }
            var entropy = Math.Log(sum) + beta * weighted / sum;
            for (var j = 0; j < row.Length; j++) row[j] /= sum;
            var error = entropy - targetEntropy;
            if (Math.Abs(error) < 1e-8) break;
            if (error > 0) { low = beta; beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2; }
            else { high = beta; beta = double.IsNegativeInfinity(low) ? beta / 2 : (beta + low) / 2; }
        }
        return row;
    }

    private static SparseAffinities Symmetrise(int[][] indices, double[][] conditional)
    {
        var n = indices.Length;
        var rows = new Dictionary<int, double>[n];
        for (var i = 0; i < n; i++) rows[i] = new Dictionary<int, double>(indices[i].Length * 2);
        for (var i = 0; i < n; i++)
            for (var m = 0; m < indices[i].Length; m++)
            {
                var j = indices[i][m];
                var half = conditional[i][m] / (2.0 * n);
                rows[i][j] = rows[i].GetValueOrDefault(j) + half;
                rows[j][i] = rows[j].GetValueOrDefault(i) + half;
            }
        var rowStart = new int[n + 1];
        for (var i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + rows[i].Count;
        var columns = new int[rowStart[n]];
        var values = new double[rowStart[n]];
        for (var i = 0; i < n; i++)
        {
            var at = rowStart[i];
            foreach (var (j, p) in rows[i].OrderBy(e => e.Key)) { columns[at] = j; values[at] = p; at++; }
        }
        return new SparseAffinities(rowStart, columns, values);
    }
}
