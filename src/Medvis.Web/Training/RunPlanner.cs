using Medvis.Core.Augmentation;
using Medvis.Core.Data;
using Medvis.Core.Runs;
using Medvis.Core.Storage;
using Medvis.Core.Training;
using Medvis.Web.Auth;

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
public sealed class RunPlanner(IMedvisStore database, IRunDispatcher dispatcher, TrainingNotifier notifier)
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

    /// <summary>Queues one run owned by the caller, or nothing when the request is invalid.</summary>
    /// <exception cref="AccessDeniedException">The caller may not queue runs (viewers, share links).</exception>
    public PlanResult Queue(Caller caller, RunRequest request)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanQueueRuns(caller), caller, "queue runs");
        var problems = Validate(request);
        return problems.Count > 0 ? new([], problems) : new([Store(caller, request)], []);
    }

    /// <summary>
    /// Queues the same run once per rotation set (natural, rot90, rotate), for side-by-side review. Only the rotation
    /// items change: the request's other choices (greyscale off, say) hold for all three.
    /// </summary>
    /// <exception cref="AccessDeniedException">The caller may not queue runs.</exception>
    public PlanResult QueueAugmentationComparison(Caller caller, RunRequest request) =>
        QueueVariants(caller, AugmentationOptions.SetNames
            .Select(AugmentationOptions.FromName)
            .Select(set => request.Options.Augmentation with { Rot90AndVerticalFlip = set.Rot90AndVerticalFlip, ArbitraryRotation = set.ArbitraryRotation })
            .Select(augmentation => request with
            {
                Options = request.Options with { Augmentation = augmentation },
                Name = $"{request.Name ?? "compare"} · {augmentation.ToSpec()}",
            }));

    /// <summary>
    /// Queues the same run once per stage-1 objective (tsimcne, isimed, tsimcne+isimed), everything else as the
    /// request has it, so the objectives can be compared on one dataset, augmentation and schedule. A request that
    /// already names another ISImed weight keeps it for the combined run.
    /// </summary>
    /// <exception cref="AccessDeniedException">The caller may not queue runs.</exception>
    public PlanResult QueueObjectiveComparison(Caller caller, RunRequest request)
    {
        var combined = TrainingObjective.TryParse(request.Options.Objective, out _) is { Contrastive: true, UsesIsimed: true }
            ? request.Options.Objective : TrainingObjective.Combined;
        return QueueVariants(caller, new[] { TrainingObjective.TSimCne, TrainingObjective.Isimed, combined }
            .Select(objective => request with
            {
                Options = request.Options with { Objective = objective },
                Name = $"{request.Name ?? "compare"} · {request.Options.Augmentation.ToSpec()} · {objective}",
            }));
    }

    /// <summary>Queues every variant, or none when any is invalid (each problem listed once).</summary>
    private PlanResult QueueVariants(Caller caller, IEnumerable<RunRequest> requests)
    {
        AccessDeniedException.ThrowUnless(AccessRules.CanQueueRuns(caller), caller, "queue runs");
        var variants = requests.ToList();
        var problems = variants.SelectMany(Validate).Distinct().ToList();
        return problems.Count > 0 ? new([], problems) : new(variants.Select(v => Store(caller, v)).ToList(), []);
    }

    /// <summary>Cancels a queued or training run; false when it already ended or does not exist.</summary>
    /// <exception cref="AccessDeniedException">The caller may not manage the run (admins: any run, members: their own).</exception>
    public bool Cancel(Caller caller, int runId)
    {
        if (database.Runs.Get(runId) is not { } run) return false;
        AccessDeniedException.ThrowUnless(AccessRules.CanManageRun(caller, run), caller, $"cancel run {runId}");
        if (dispatcher.CancelRunning(runId))
        {
            database.Audit.Add(caller.Name, "cancelled run", Describe(run));
            return true;
        }
        var cancelled = false;
        database.Runs.Update(runId, r =>
        {
            if (r.Status != RunStatus.Queued) return;
            r.Status = RunStatus.Cancelled;
            r.FinishedAtUtc = DateTime.UtcNow;
            cancelled = true;
        });
        if (!cancelled) return false;
        database.Audit.Add(caller.Name, "cancelled run", Describe(run));
        notifier.Publish(new RunStatusUpdate(runId, RunStatus.Cancelled, null));
        return true;
    }

    /// <summary>
    /// Queues a cancelled run again; it continues from the checkpoint it kept when cancelled.
    /// </summary>
    /// <returns>Null when queued, else why not (it is not cancelled, or gone).</returns>
    /// <exception cref="AccessDeniedException">The caller may not manage the run (admins: any run, members: their own).</exception>
    public string? Resume(Caller caller, int runId)
    {
        if (database.Runs.Get(runId) is not { } run) return $"Run {runId} does not exist.";
        AccessDeniedException.ThrowUnless(AccessRules.CanManageRun(caller, run), caller, $"resume run {runId}");
        if (Core.Lab.RunResumption.Requeue(database, runId, caller.Name, out var refusal) is not { } queued) return refusal;
        database.Audit.Add(caller.Name, "resumed run", Describe(queued));
        notifier.Publish(new RunStatusUpdate(runId, RunStatus.Queued, null));
        dispatcher.Enqueue(queued);
        return null;
    }

    private RunRecord Store(Caller caller, RunRequest request)
    {
        var dataset = database.Datasets.Get(request.DatasetId)!;
        var run = database.Runs.Add(new RunRecord
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{dataset.Name} · {request.Options.Augmentation.ToSpec()}" : request.Name.Trim(),
            DatasetId = dataset.Id, DatasetSpec = dataset.Spec, DatasetName = dataset.Name, ImageSize = dataset.ImageSize,
            Split = request.Split, MaxImages = request.MaxImages,
            OptionsJson = TrainingOptionsJson.Serialize(request.Options),
            Status = RunStatus.Queued, CreatedAtUtc = DateTime.UtcNow, OwnerId = caller.UserId, OwnerName = caller.Name,
        });
        database.Audit.Add(caller.Name, "queued run", Describe(run));
        notifier.Publish(new RunStatusUpdate(run.Id, RunStatus.Queued, null));
        dispatcher.Enqueue(run);
        return run;
    }

    /// <summary>
    /// Removes an ended run (done, failed or cancelled) with its metrics, map, model, checkpoints and tags.
    /// A queued or training run is refused: cancel it first, so the worker never writes into a deleted run.
    /// </summary>
    /// <returns>Null when deleted, else why not.</returns>
    /// <exception cref="AccessDeniedException">The caller may not manage the run.</exception>
    public string? Delete(Caller caller, int runId)
    {
        var run = database.Runs.Get(runId);
        if (run is null) return $"Run {runId} does not exist.";
        AccessDeniedException.ThrowUnless(AccessRules.CanManageRun(caller, run), caller, $"delete run {runId}");
        if (run.Status is RunStatus.Queued or RunStatus.Running) return $"Run {runId} is {run.Status.ToString().ToLowerInvariant()}: cancel it before deleting it.";
        database.DeleteRun(runId);
        database.Audit.Add(caller.Name, "deleted run", Describe(run));
        notifier.Publish(new RunStatusUpdate(runId, run.Status, null));
        return null;
    }

    private static string Describe(RunRecord run) => $"run {run.Id} \"{run.Name}\"";
}
