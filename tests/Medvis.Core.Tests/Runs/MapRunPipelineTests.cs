using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Runs;
using Medvis.Core.Tests.Data;
using Medvis.Core.Tests.Training;
using Medvis.Core.Training;

namespace Medvis.Core.Tests.Runs;

public sealed class MapRunPipelineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Serves one in-memory dataset under the spec "two-classes" and counts loads.</summary>
    private sealed class FixedLoader(ImageDataset data) : IDatasetLoader
    {
        public int Loads { get; private set; }

        public ImageDataset Load(string spec, int imageSize, DatasetSplit split)
        {
            Loads++;
            return spec == "two-classes" ? data : throw new DatasetFormatException(spec, "file not found.");
        }
    }

    /// <summary>Fails the test if training is ever reached.</summary>
    private sealed class RefusingTrainer : IMapTrainer
    {
        public TrainingResult Train(ImageDataset data, TrainingOptions options, IProgress<TrainingEvent> progress,
            ICheckpointStore checkpoints, CancellationToken cancellation) => throw new InvalidOperationException("training must not start");
    }

    private static MapRunRequest Request(int? maxImages = null, int[]? epochs = null) =>
        new(new DatasetSelection("two-classes", DatasetSplit.Train, 12, maxImages), TrainingTestData.TinyOptions(epochs ?? [2, 1, 1]));

    private static readonly IProgress<TrainingEvent> Quiet = new SynchronousProgress<TrainingEvent>(_ => { });

    [Fact]
    public void ARunWithThePixelBaselineStoresTheBaselineMapAndTheComparisonBesideItsOwn()
    {
        var data = TrainingTestData.TwoClasses(64, seed: 9);
        var sink = new FolderRunSink(_temp.File("with-baseline"));
        var messages = new List<string>();

        var outcome = new MapRunPipeline(new FixedLoader(data), new TSimCneMapTrainer())
            .Run(Request() with { PixelBaseline = true }, sink, new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), CancellationToken.None);

        var baselineMap = CoordsCsv.Read(Path.Combine(sink.Folder, FolderRunSink.BaselineCoordinatesFile));
        Assert.Equal(64, baselineMap.Labels.Length);
        var baselineMetrics = MetricsReport.FromJson(File.ReadAllText(Path.Combine(sink.Folder, FolderRunSink.BaselineMetricsFile)));
        Assert.Equal("t-SNE (pixels)", baselineMetrics.Method);
        var stored = MetricsReport.FromJson(File.ReadAllText(Path.Combine(sink.Folder, FolderRunSink.MetricsFile)));
        var comparison = Assert.IsType<BaselineComparison>(stored.Baseline);
        Assert.True(comparison.KnnOverTenSplits);
        Assert.Equal(outcome.Metrics.KnnRepeated!.Mean - baselineMetrics.KnnRepeated!.Mean, comparison.KnnDelta, 12);
        Assert.Contains(messages, m => m.Contains("t-SimCNE vs pixel t-SNE") || m.StartsWith("This map shows less", StringComparison.Ordinal));

        var without = new FolderRunSink(_temp.File("without-baseline"));
        new MapRunPipeline(new FixedLoader(data), new TSimCneMapTrainer()).Run(Request(), without, Quiet, CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(without.Folder, FolderRunSink.BaselineCoordinatesFile)));
        Assert.Null(MetricsReport.FromJson(File.ReadAllText(Path.Combine(without.Folder, FolderRunSink.MetricsFile))).Baseline);
    }

    [Fact]
    public void ARunWritesTheMapMetricsModelAndACardThatDescribesIt()
    {
        var data = TrainingTestData.TwoClasses(96);
        var sink = new FolderRunSink(_temp.File("run"));
        var messages = new List<string>();

        var outcome = new MapRunPipeline(new FixedLoader(data), new TSimCneMapTrainer())
            .Run(Request(maxImages: 80), sink, new SynchronousProgress<TrainingEvent>(e => { if (e is TrainingMessage m) messages.Add(m.Text); }), CancellationToken.None);

        var map = CoordsCsv.Read(Path.Combine(sink.Folder, FolderRunSink.CoordinatesFile));
        Assert.Equal(80, map.Labels.Length);
        Assert.Equal(SeededSubset.Choose(96, 80, 7), map.Indices);
        Assert.Equal(map.Indices.Select(i => data.Labels[i]), map.Labels);
        Assert.Contains(messages, m => m.StartsWith("Training on 80 images of two classes", StringComparison.Ordinal));

        var metrics = MetricsReport.FromJson(File.ReadAllText(Path.Combine(sink.Folder, FolderRunSink.MetricsFile)));
        Assert.Equal("t-SimCNE (natural)", metrics.Method);
        Assert.Equal(outcome.Metrics.KnnAccuracy, metrics.KnnAccuracy);
        Assert.True(File.Exists(Path.Combine(sink.Folder, FolderRunSink.ModelFile)));

        var card = RunCard.FromJson(File.ReadAllText(Path.Combine(sink.Folder, FolderRunSink.CardFile)), "run.json");
        Assert.Equal(DatasetFingerprint.Of(data), card.Dataset.ContentHash);
        Assert.Equal((96, 80, 80), (card.Dataset.SplitImages, card.Dataset.TrainedImages, card.Dataset.MaxImages));
        Assert.Equal(TrainingOptionsJson.Serialize(Request().Options), TrainingOptionsJson.Serialize(card.Options));
        Assert.Equal("cpu", card.Machine.Device);
        Assert.Equal("fp32", card.Machine.Precision);
        Assert.Equal(Environment.ProcessorCount, card.Machine.ProcessorCount);
        Assert.True(card.Machine.WallSeconds >= card.Machine.TrainingSeconds);
        Assert.Equal(metrics.TestCount, card.Evaluation.TestCount);
        Assert.Equal(metrics.KnnAccuracy, card.KnnAccuracy);
        Assert.NotEqual("unknown", card.Build.MedvisVersion);
        Assert.StartsWith("0.107", card.Build.TorchSharpVersion);
        Assert.Equal(Request(maxImages: 80).Dataset, card.ToRequest().Dataset);
    }

    [Fact]
    public void ADatasetWhoseContentDiffersFromTheCardsIsRefusedBeforeTraining()
    {
        var data = TrainingTestData.TwoClasses(64);
        var pipeline = new MapRunPipeline(new FixedLoader(data), new RefusingTrainer());

        var error = Assert.Throws<DatasetMismatchException>(() =>
            pipeline.Run(Request(), new FolderRunSink(_temp.File("run")), Quiet, CancellationToken.None, expectedContentHash: "sha256:00"));

        Assert.Equal(DatasetFingerprint.Of(data), error.Actual);
        Assert.Contains("two-classes: its content hash", error.Message);
        Assert.Contains("not the data the map was trained on", error.Message);
    }

    [Fact]
    public void SettingsThatCannotMakeAMapAreRefusedFieldByFieldBeforeTraining()
    {
        var pipeline = new MapRunPipeline(new FixedLoader(TrainingTestData.TwoClasses(40)), new RefusingTrainer());

        var stageOneOnly = Assert.Throws<InvalidSettingsException>(() =>
            pipeline.Run(Request(epochs: [1, 0, 0]), new FolderRunSink(_temp.File("a")), Quiet, CancellationToken.None));
        var tooFew = Assert.Throws<InvalidSettingsException>(() =>
            pipeline.Run(Request(maxImages: 20) with { Options = TrainingTestData.TinyOptions([1, 1, 1]) with { BatchSize = 32 } },
                new FolderRunSink(_temp.File("b")), Quiet, CancellationToken.None));

        var stage = Assert.Single(stageOneOnly.Problems);
        Assert.Equal(nameof(TrainingOptions.EpochsPerStage), stage.Field);
        Assert.Contains("a 2-D map needs epochs in stage 2 or 3", stage.Message);
        var batch = Assert.Single(tooFew.Problems);
        Assert.Equal((nameof(TrainingOptions.BatchSize), "batch size 32 is larger than the 20 training images"), (batch.Field, batch.Message));
    }

    [Fact]
    public void ValidationNamesTheFieldOfEveryProblem()
    {
        var request = new MapRunRequest(new DatasetSelection("x", DatasetSplit.Val, 4, 1),
            new TrainingOptions { BatchSize = 2, EpochsPerStage = [0, 0, 0], LearningRate = -1, Device = "tpu" });

        var fields = MapRunValidation.Problems(request, availableImages: 0).Select(p => p.Field).ToList();

        Assert.Equal([nameof(TrainingOptions.BatchSize), nameof(TrainingOptions.EpochsPerStage), nameof(TrainingOptions.LearningRate),
            nameof(DatasetSelection.ImageSize), nameof(DatasetSelection.MaxImages), nameof(DatasetSelection.Split), nameof(TrainingOptions.Device)], fields);
    }

    [Fact]
    public void TheMethodLabelNamesTheAugmentationAndAnyOtherStageOneObjective()
    {
        var options = TrainingTestData.TinyOptions([1, 1, 1]);

        Assert.Equal("t-SimCNE (natural)", MapRunPipeline.MethodLabel(options));
        Assert.Equal("t-SimCNE (natural; stage 1: tsimcne+isimed:0.5)", MapRunPipeline.MethodLabel(options with { Objective = "tsimcne+isimed:0.5" }));
    }

    [Fact]
    public void TheFingerprintFollowsPixelsAndLabelsOnly()
    {
        var data = TrainingTestData.TwoClasses(10);
        var copy = new ImageDataset("renamed", data.Pixels.ToArray(), 10, 3, 12, 12, data.Labels.ToArray(), data.ClassNames);
        var pixels = data.Pixels.ToArray();
        pixels[^1] ^= 1;
        var labels = data.Labels.ToArray();
        labels[0] = 1 - labels[0];

        Assert.Equal(DatasetFingerprint.Of(data), DatasetFingerprint.Of(copy));
        Assert.NotEqual(DatasetFingerprint.Of(data), DatasetFingerprint.Of(new ImageDataset("x", pixels, 10, 3, 12, 12, data.Labels, data.ClassNames)));
        Assert.NotEqual(DatasetFingerprint.Of(data), DatasetFingerprint.Of(new ImageDataset("x", data.Pixels, 10, 3, 12, 12, labels, data.ClassNames)));
        Assert.Matches("^sha256:[0-9a-f]{64}$", DatasetFingerprint.Of(data));
    }
}
