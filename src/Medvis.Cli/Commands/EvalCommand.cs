using System.CommandLine;
using System.Globalization;
using Medvis.Core.Data;
using Medvis.Core.Evaluation;
using Medvis.Core.Runs;
using Medvis.Core.Training;

namespace Medvis.Cli.Commands;

/// <summary>
/// <c>medvis eval --coords coords.csv</c>: metrics of a saved map; <c>medvis eval --model DIR</c>: the model's
/// k-fold linear-probe ROC-AUC, positional R² and crop-position view (on the images its run.json names, or <c>--data</c>).
/// </summary>
public static class EvalCommand
{
    /// <summary>Builds the <c>eval</c> verb.</summary>
    public static Command Create()
    {
        var coords = new Option<FileInfo?>("--coords") { Description = "Map to score: CSV with columns index,label,class,x,y (as medvis train writes)." };
        var labels = new Option<FileInfo?>("--labels") { Description = "CSV with a 'label' column (optional 'index', 'class') replacing the map's own labels." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the metrics JSON here instead of to standard output." };
        var k = new Option<int>("--k") { Description = "Neighbours in the kNN vote.", DefaultValueFactory = _ => KnnEvaluation.DefaultK };
        var seed = new Option<int>("--seed") { Description = "Seed of the stratified 9:1 split (scikit-learn's train_test_split random_state).", DefaultValueFactory = _ => TrainTestSplit.DefaultSeed };
        var model = new Option<string?>("--model") { Description = "A train output folder (or model.bin): score its backbone features with the 10-fold linear-probe ROC-AUC and the positional R², and show its crop-position view" };
        var data = new Option<string?>("--data") { Description = "With --model: the images to score (default: the data, split and subset of the folder's run.json)" };
        var split = new Option<string?>("--split") { Description = "With --model and --data: train | val | test | all (default train)" };
        var maxImages = new Option<int?>("--max-images") { Description = "With --model and --data: a seeded subset of at most this many images (seed 0, as medvis train draws it)" };
        var cropMap = new Option<FileInfo?>("--crop-map") { Description = "With --model: write the crop-position view here as CSV (index,label,crop_x,crop_y,x,y)" };
        var grid = new Option<int>("--grid") { Description = "With --model: crop centres per axis of the crop-position view", DefaultValueFactory = _ => 5 };
        var command = new Command("eval",
            "kNN accuracy (k=15; scikit-learn's stratified 9:1 split, mean ± sd over the splits of seeds 0-9, and leave-one-out) " +
            "and silhouette of a 2-D map, overall and per class (--coords); the linear-probe ROC-AUC (10-fold, stratified), " +
            "positional R² and crop-position view of a trained model (--model).")
        {
            coords, labels, output, k, seed, model, data, split, maxImages, cropMap, grid,
        };
        command.SetAction(parse => CommandErrors.Guard(parse, () =>
        {
            var coordsFile = parse.GetValue(coords);
            var modelPath = parse.GetValue(model);
            if (coordsFile is null && modelPath is null) throw new ArgumentException("Give --coords (a map to score) or --model (a trained model to score), or both.");
            if (parse.GetValue(k) < 1) throw new ArgumentException($"--k must be at least 1, got {parse.GetValue(k)}.");
            MetricsReport? report = null;
            if (coordsFile is not null)
            {
                var map = CoordsCsv.Read(coordsFile.FullName);
                if (parse.GetValue(labels) is { } labelsFile) map = CoordsCsv.WithLabelsFrom(map, labelsFile.FullName);
                report = MapEvaluator.Evaluate(map.Coords, map.Labels, map.ClassNames, new MapEvaluationOptions(K: parse.GetValue(k), SplitSeed: parse.GetValue(seed)));
            }
            var (stdout, stderr) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            if (modelPath is not null)
                report = ScoreModel(stdout, stderr, modelPath, parse.GetValue(data), parse.GetValue(split), parse.GetValue(maxImages), parse.GetValue(cropMap), parse.GetValue(grid), report);
            if (parse.GetValue(output) is { } outputFile)
            {
                File.WriteAllText(outputFile.FullName, report!.ToJson());
                stderr.WriteLine($"{Summary(report)} → {outputFile.FullName}");
            }
            else if (coordsFile is not null) stdout.WriteLine(report!.ToJson());
            return 0;
        }));
        return command;
    }

    /// <summary>Scores the model; adds the scores to <paramref name="mapReport"/> when there is one, else to a report of the model's own map of the images.</summary>
    private static MetricsReport ScoreModel(TextWriter stdout, TextWriter stderr, string modelPath, string? dataSpec, string? splitName, int? maxImages, FileInfo? cropMapFile, int grid,
        MetricsReport? mapReport)
    {
        var cropOptions = new CropPositionOptions(GridSize: grid);
        if (cropOptions.Problem() is { } problem) throw new ArgumentException($"--grid: {problem}.");
        if (maxImages is < 4) throw new ArgumentException($"--max-images {maxImages} must be at least 4.");
        var modelFile = EmbedCommand.ResolveModelFile(modelPath);
        using var trained = TSimCneModel.FromBytes(File.ReadAllBytes(modelFile), "auto");
        var images = EmbedCommand.MatchModel(LoadImages(modelFile, dataSpec, splitName, maxImages, trained), trained);
        stderr.WriteLine($"Scoring {Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(modelFile)))} on {images.Count} images of {images.Name}");
        var report = mapReport ?? MapEvaluator.Evaluate(trained.Transform(images), images).WithMethod(MapRunPipeline.MethodLabel(trained.Options));
        report = ModelScores.AddTo(report, trained, images);
        var crops = CropPositionMap.Compute(trained, images, cropOptions);
        stdout.WriteLine(report.LinearProbe is { } probe ? ProbeSummary(probe) : "linear probe: not computed (one class, or too few images per class for 10 folds)");
        if (report.Positional is { } positional) stdout.WriteLine(PositionalSummary(positional));
        stdout.WriteLine(CropMapSummary(crops));
        if (cropMapFile is not null)
        {
            using var writer = new StreamWriter(cropMapFile.FullName);
            writer.WriteLine("index,label,crop_x,crop_y,x,y");
            foreach (var p in crops.Points)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.SourceIndex},{p.Label},{p.CropX:R},{p.CropY:R},{p.MapX:R},{p.MapY:R}"));
            stderr.WriteLine($"{crops.Points.Count} crops → {cropMapFile.FullName}");
        }
        return report;
    }

    /// <summary>--data (with --split and --max-images), else the data, split and subset named by the run.json beside the model.</summary>
    private static ImageDataset LoadImages(string modelFile, string? dataSpec, string? splitName, int? maxImages, TSimCneModel trained)
    {
        if (dataSpec is not null)
        {
            var images = DatasetCatalog.Load(dataSpec, DatasetCatalog.ParseSplit(splitName ?? "train"), trained.Height);
            return maxImages is { } most && most < images.Count ? images.Subset(SeededSubset.Choose(images.Count, most, 0)) : images;
        }
        var cardFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelFile))!, "run.json");
        if (!File.Exists(cardFile)) throw new ArgumentException($"{cardFile}: not found; give --data to name the images to score.");
        var card = RunCard.FromJson(File.ReadAllText(cardFile), cardFile);
        var split = DatasetCatalog.Load(card.Dataset.Spec, card.Dataset.Split, card.Dataset.ImageSize);
        var indices = SeededSubset.Choose(split.Count, maxImages ?? card.Dataset.MaxImages, card.Options.Seed);
        return indices.Length == split.Count ? split : split.Subset(indices);
    }

    /// <summary>One line: kNN on the main split, over the repeated splits, leave-one-out, and the silhouette (and the model's scores when present).</summary>
    public static string Summary(MetricsReport report)
    {
        var parts = new List<string> { FormattableString.Invariant($"kNN accuracy {report.KnnAccuracy:F4} (seed {report.SplitSeed})") };
        if (report.KnnRepeated is { } repeated)
            parts.Add(FormattableString.Invariant(
                $"{repeated.Mean:F4} ± {repeated.StandardDeviation:F4} over {repeated.Seeds.Length} seeded splits"));
        if (report.KnnLeaveOneOut is { } leaveOneOut)
            parts.Add(FormattableString.Invariant($"leave-one-out {leaveOneOut:F4}"));
        parts.Add(FormattableString.Invariant($"silhouette {report.Silhouette:F4}"));
        if (report.LinearProbe?.MeanAuc is { } auc) parts.Add(FormattableString.Invariant($"linear-probe AUC {auc:F4}"));
        if (report.Positional?.RSquared is { } r2) parts.Add(FormattableString.Invariant($"positional R² {r2:F3}"));
        return string.Join(", ", parts);
    }

    /// <summary>One line of the k-fold linear probe.</summary>
    public static string ProbeSummary(LinearProbeScore probe) => FormattableString.Invariant(
        $"linear probe of the {probe.Dimensions}-d {probe.Space} ({probe.Images} images, {probe.Folds}-fold stratified): ROC-AUC {probe.MeanAuc:F4} ± {probe.AucStandardDeviation:F4} (pooled {probe.PooledAuc:F4}), {probe.Seconds:F1} s");

    /// <summary>One line of the positional R².</summary>
    public static string PositionalSummary(PositionalScore score) => FormattableString.Invariant(
        $"positional R² of the {score.Space} ({score.Crops} random crops of {score.CropFraction:0.##} of the side from {score.Images} images, held out by image): {score.RSquared:F3} (x {score.RSquaredX:F3}, y {score.RSquaredY:F3})");

    /// <summary>One line of the crop-position view.</summary>
    public static string CropMapSummary(CropPositionResult crops) => FormattableString.Invariant(
        $"crop-position view: {crops.GridSize}×{crops.GridSize} crops of {crops.CropFraction:0.##} of the side from {crops.Images} images; R² of position from the backbone features {crops.Features.RSquared:F3} (x {crops.Features.RSquaredX:F3}, y {crops.Features.RSquaredY:F3}), from the 2-D map {crops.Map.RSquared:F3}");
}
