using Medvis.Core.Compute;
using Medvis.Core.Training;

namespace Medvis.Core.Runs;

/// <summary>Whether a map run can start, decided once for the command line, the web form and the workers.</summary>
public static class MapRunValidation
{
    /// <summary>
    /// Every problem of <paramref name="request"/>, field by field, given that its split holds
    /// <paramref name="availableImages"/> images: the options' own checks, then those that depend on the data.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> Problems(MapRunRequest request, int availableImages)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        var problems = options.Problems().ToList();
        if (options.EpochsPerStage is [> 0, 0, 0])
            problems.Add(new(nameof(TrainingOptions.EpochsPerStage),
                "a 2-D map needs epochs in stage 2 or 3 (stage 1 alone trains 128-d features, not a map)"));
        if (request.Dataset.ImageSize is < 8 or > 1024)
            problems.Add(new(nameof(DatasetSelection.ImageSize), $"image size {request.Dataset.ImageSize} must be between 8 and 1024 pixels"));
        if (request.Dataset.MaxImages is < 2)
            problems.Add(new(nameof(DatasetSelection.MaxImages), "the image limit must be at least 2"));
        if (availableImages == 0)
            problems.Add(new(nameof(DatasetSelection.Split), $"the {request.Dataset.Split.ToString().ToLowerInvariant()} split holds no images"));
        var images = Math.Min(availableImages, request.Dataset.MaxImages ?? int.MaxValue);
        if (availableImages > 0 && options.BatchSize > images)
            problems.Add(new(nameof(TrainingOptions.BatchSize), $"batch size {options.BatchSize} is larger than the {images} training images"));
        try { ComputeDevice.Resolve(options.Device); }
        catch (ArgumentException e) { problems.Add(new(nameof(TrainingOptions.Device), e.Message.TrimEnd('.'))); }
        return problems;
    }

    /// <summary>Throws <see cref="InvalidSettingsException"/> unless <see cref="Problems"/> finds none.</summary>
    public static void Check(MapRunRequest request, int availableImages)
    {
        if (Problems(request, availableImages) is { Count: > 0 } problems) throw new InvalidSettingsException(problems);
    }
}
