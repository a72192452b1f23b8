using System.Diagnostics;
using Medvis.Core.Evaluation;
using Medvis.Core.Evaluation.Tsne;

namespace Medvis.Core.Tests.Evaluation;

public class TsneEmbeddingTests
{
    [Fact]
    public void SeparatedBlobsStaySeparatedInTwoDimensions()
    {
        var (points, labels) = SyntheticPoints.Blobs(1500, 5, 50, spread: 1.0, seed: 4711);
        var watch = Stopwatch.StartNew();

        var result = TsneEmbedding.Run(points);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"t-SNE of 1,500 points took {watch.Elapsed}");
        Assert.Equal(1500, result.Embedding.GetLength(0));
        Assert.Equal(2, result.Embedding.GetLength(1));
        Assert.Equal(90, result.Neighbours);
        var knn = KnnEvaluation.Evaluate(result.Embedding, labels);
        Assert.True(knn.Accuracy >= 0.99, $"kNN accuracy of the embedding was {knn.Accuracy}");
        Assert.True(Silhouette.Compute(result.Embedding, labels).Overall > 0.5);
    }

    [Fact]
    public void WideInputsAreReducedByPcaFirstAndRunsAreRepeatable()
    {
        var (points, _) = SyntheticPoints.Blobs(300, 3, 150, spread: 1.0, seed: 7);
        var options = new TsneOptions(EarlyExaggerationIterations: 50, Iterations: 50);

        var first = TsneEmbedding.Run(points, options);
        var second = TsneEmbedding.Run(points, options);

        Assert.Equal(100, first.InputDimensions);
        Assert.Equal(first.Embedding.Cast<float>(), second.Embedding.Cast<float>());
    }

    [Fact]
    public void TinySetsLowerThePerplexityAsOpenTsneDoes()
    {
        var (points, _) = SyntheticPoints.Blobs(31, 3, 4, spread: 1.0, seed: 3);
        var result = TsneEmbedding.Run(points, new TsneOptions(EarlyExaggerationIterations: 20, Iterations: 20));
        Assert.Equal(10, result.Perplexity, 1e-12);
        Assert.Equal(30, result.Neighbours);
    }

    [Fact]
    public void BadInputGivesAClearError()
    {
        Assert.Contains("at least 4 points", Assert.Throws<ArgumentException>(() => TsneEmbedding.Run(new float[3, 5])).Message);
        Assert.Contains("Perplexity", Assert.Throws<ArgumentException>(() => TsneEmbedding.Run(new float[10, 2], new TsneOptions(Perplexity: -1))).Message);
        var nan = new float[10, 2];
        nan[4, 1] = float.NaN;
        Assert.Contains("Point 4", Assert.Throws<ArgumentException>(() => TsneEmbedding.Run(nan)).Message);
    }

    [Fact]
    public void PerplexityBisectionHitsItsTarget()
    {
        var distances = Enumerable.Range(1, 90).Select(i => (double)i * i / 100).ToArray();
        var row = SparseAffinities.ConditionalRow(distances, 30);
        var entropy = -row.Where(p => p > 0).Sum(p => p * Math.Log(p));
        Assert.Equal(1.0, row.Sum(), 1e-12);
        Assert.Equal(Math.Log(30), entropy, 1e-6);
    }
}
