using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Training;

namespace Medvis.Web.Training;

/// <summary>What the new-run form asks for.</summary>
public sealed record RunRequest(int DatasetId, DatasetSplit Split, TrainingOptions Options, int? MaxImages = null, string? Name = null);

/// <summary>The runs that were queued, or why nothing was, field by field.</summary>
public sealed record PlanResult(IReadOnlyList<RunRecord> Runs, IReadOnlyList<ValidationProblem> Errors)
{
    /// <summary>True when the runs were queued.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Checks run requests, stores them as queued runs and hands them to the worker; cancels runs.</summary>
public sealed class RunPlanner(MedvisDatabase database, TrainingQueue queue, RunCancellations cancellations, TrainingNotifier notifier)
{
    /// <summary>The field a problem with the dataset choice is shown beside.</summary>
    public const string DatasetField = "Dataset";

    /// <summary>Every reason the request cannot run (empty when it can), by <see cref="MapRunValidation"/> against the registered dataset.</summary>
    public IReadOnlyList<ValidationProblem> Validate(RunRequest request)
    {
        var dataset = database.Datasets.Get(request.DatasetId);
        if (dataset is null)
            return [.. request.Options.Problems(), new(DatasetField, "pick a registered dataset")];
        var mapRequest = new MapRunRequest(new DatasetSelection(dataset.Spec, request.Split, dataset.ImageSize, request.MaxImages), request.Options);
        return MapRunValidation.Problems(mapRequest, dataset.CountOf(request.Split));
    }

    /// <summary>Queues one run, or nothing when the request is invalid.</summary>
    public PlanResult Queue(RunRequest request)
    {
        var problems = Validate(request);
        return problems.Count > 0 ? new([], problems) : new([Store(request)], []);
    }

    /// <summary>
    /// Queues the same run once per rotation set (natural, rot90, rotate), for side-by-side review. Only the rotation
    /// items change: the request's other choices (greyscale off, say) hold for all three.
    /// </summary>
    public PlanResult QueueAugmentationComparison(RunRequest request)
    {
        var variants = AugmentationOptions.SetNames
            .Select(AugmentationOptions.FromName)
            .Select(set => request.Options.Augmentation with { Rot90AndVerticalFlip = set.Rot90AndVerticalFlip, ArbitraryRotation = set.ArbitraryRotation })
            .Select(augmentation => request with
            {
                Options = request.Options with { Augmentation = augmentation },
                Name = $"{request.Name ?? "compare"} · {augmentation.ToSpec()}",
            })
            .ToList();
        var problems = variants.SelectMany(Validate).Distinct().ToList();
        return problems.Count > 0 ? new([], problems) : new(variants.Select(Store).ToList(), []);
    }

    /// <summary>Cancels a queued or training run; false when it already ended.</summary>
    public bool Cancel(int runId)
    {
        if (cancellations.Cancel(runId)) return true;
        var cancelled = false;
        database.Runs.Update(runId, r =>
        {
            if (r.Status != RunStatus.Queued) return;
            r.Status = RunStatus.Cancelled;
            r.FinishedAtUtc = DateTime.UtcNow;
            cancelled = true;
        });
        if (cancelled) notifier.Publish(new RunStatusUpdate(runId, RunStatus.Cancelled, null));
        return cancelled;
    }

    private RunRecord Store(RunRequest request)
    {
        var dataset = database.Datasets.Get(request.DatasetId)!;
        var run = database.Runs.Add(new RunRecord
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{dataset.Name} · {request.Options.Augmentation.ToSpec()}" : request.Name.Trim(),
            DatasetId = dataset.Id, DatasetSpec = dataset.Spec, DatasetName = dataset.Name, ImageSize = dataset.ImageSize,
            Split = request.Split, MaxImages = request.MaxImages,
            OptionsJson = TrainingOptionsJson.Serialize(request.Options),
            Status = RunStatus.Queued, CreatedAtUtc = DateTime.UtcNow,
        });
        notifier.Publish(new RunStatusUpdate(run.Id, RunStatus.Queued, null));
        queue.Enqueue(run.Id);
        return run;
    }

    /// <summary>
    /// Removes an ended run (done, failed or cancelled) with its metrics, map, model, checkpoints and tags.
    /// A queued or training run is refused: cancel it first, so the worker never writes into a deleted run.
    /// </summary>
    /// <returns>Null when deleted, else why not.</returns>
    public string? Delete(int runId)
    {
        var run = database.Runs.Get(runId);
        if (run is null) return $"Run {runId} does not exist.";
        if (run.Status is RunStatus.Queued or RunStatus.Running) return $"Run {runId} is {run.Status.ToString().ToLowerInvariant()}: cancel it before deleting it.";
        database.DeleteRun(runId);
        notifier.Publish(new RunStatusUpdate(runId, run.Status, null));
        return null;
    }
}
