using Medvis.Core.Evaluation;

namespace Medvis.Web.Datasets;

/// <summary>Binds the web app's seams (<see cref="IDatasetOpener"/>, <see cref="IUploadDecoder"/>, <see cref="IMapMetrics"/>) to Medvis.Core.</summary>
public static class CoreAdapters
{
    public static IServiceCollection AddCoreAdapters(this IServiceCollection services) => services
        .AddSingleton<IDatasetOpener, CoreDatasetOpener>()
        .AddSingleton<IUploadDecoder, CoreUploadDecoder>()
        .AddSingleton<IMapMetrics, CoreMapMetrics>();
}

/// <summary>"demo" (the built-in synthetic dataset), .npz files and image folders through <see cref="DatasetCatalog"/>.</summary>
public sealed class CoreDatasetOpener : IDatasetOpener
{
    public IDatasetSource Open(string spec, int imageSize) => DatasetCatalog.Open(spec, imageSize);
}

/// <summary>Uploaded PNG/JPEG/TIFF files decoded to the model's square input size.</summary>
public sealed class CoreUploadDecoder : IUploadDecoder
{
    public ImageDataset Decode(IReadOnlyList<UploadedFile> files, int channels, int height, int width)
    {
        if (height != width) throw new InvalidOperationException($"The map's images are {width}×{height}; uploads need square images.");
        return ImageEncoding.DecodeImages(files.Select(f => (f.Name, f.Content)).ToList(), height, channels);
    }
}

/// <summary>kNN accuracy and silhouette by <see cref="MapEvaluator"/>; stored as its <see cref="MetricsReport"/> JSON.</summary>
public sealed class CoreMapMetrics : IMapMetrics
{
    public string EvaluateToJson(float[] x, float[] y, int[] labels, IReadOnlyList<string> classNames)
    {
        var coords = new float[x.Length, 2];
        for (var i = 0; i < x.Length; i++) { coords[i, 0] = x[i]; coords[i, 1] = y[i]; }
        return MapEvaluator.Evaluate(coords, labels, classNames).WithMethod("t-SimCNE").ToJson();
    }

    public RunMetrics Read(string json)
    {
        var report = MetricsReport.FromJson(json);
        var classes = report.Classes.OrderBy(c => c.Index).ToList();
        return new RunMetrics(report.KnnAccuracy, report.Silhouette, classes.Select(c => c.Name).ToList(),
            classes.Select(c => c.KnnRecall).ToArray(), classes.Select(c => c.Silhouette).ToArray(), report.K);
    }
}
