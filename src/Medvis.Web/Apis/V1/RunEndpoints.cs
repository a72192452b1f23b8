using Medvis.Core.Lab;
using Microsoft.AspNetCore.Http.HttpResults;
using ValidationProblem = Microsoft.AspNetCore.Http.HttpResults.ValidationProblem;

namespace Medvis.Web.Apis.V1;

/// <summary>
/// <c>/api/v1/runs</c>: list, read, queue, cancel, resume and delete runs through the same planner and role rules
/// as the Runs and New run pages.
/// </summary>
public static class RunEndpoints
{
    /// <summary>Maps the run routes onto the API's group.</summary>
    public static RouteGroupBuilder MapRunEndpoints(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");
        runs.MapGet("/", List).WithName("ListRuns").WithSummary("Runs, newest first, filtered by status, dataset and owner")
            .ProducesValidationProblem();
        runs.MapGet("/{runId:int}", Get).WithName("GetRun").WithSummary("One run: its status, progress and settings")
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/", Queue).WithName("QueueRun").WithSummary("Queue a run from the New run form's fields (members and admins)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        runs.MapPost("/{runId:int}/cancel", Cancel).WithName("CancelRun").WithSummary("Cancel a queued or training run (its owner or an admin)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);
        runs.MapPost("/{runId:int}/resume", Resume).WithName("ResumeRun").WithSummary("Queue a cancelled run again; it continues from its checkpoint")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);
        runs.MapDelete("/{runId:int}", Delete).WithName("DeleteRun").WithSummary("Delete an ended run with its map, metrics and model")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    /// <summary>Runs, newest first; <paramref name="status"/> (queued, running, done, failed, cancelled), <paramref name="datasetId"/> and <paramref name="owner"/> (a user name) narrow the list.</summary>
    public static Results<Ok<IReadOnlyList<RunJson>>, ValidationProblem, ProblemHttpResult> List(
        RunResults results, CallerResolver callers, HttpContext context, string? status = null, int? datasetId = null, string? owner = null)
    {
        if (!AccessRules.CanBrowse(callers.Resolve(context.User))) return ApiProblems.Forbidden("Only signed-in users list runs.");
        RunStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return ApiProblems.Invalid([new(nameof(status), $"unknown status '{status}': use queued, running, done, failed or cancelled")], "The filter is invalid.");
            wanted = parsed;
        }
        var all = results.Runs();
        var places = QueuePositions.Of(all);
        return TypedResults.Ok<IReadOnlyList<RunJson>>([.. all
            .Where(r => wanted is null || r.Status == wanted)
            .Where(r => datasetId is null || r.DatasetId == datasetId)
            .Where(r => owner is null || string.Equals(r.OwnerName, owner.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(r => RunJson.Of(r, PlaceOf(places, r.Id)))]);
    }

    /// <summary>One run.</summary>
    public static Results<Ok<RunJson>, ProblemHttpResult> Get(int runId, RunResults results, CallerResolver callers, HttpContext context)
    {
        if (!AccessRules.CanRead(callers.Resolve(context.User), runId)) return ApiProblems.Forbidden($"You may not read run {runId}.");
        return results.Run(runId) is { } run ? TypedResults.Ok(Describe(run, results)) : ApiProblems.NotFound($"Run {runId} does not exist.");
    }

    /// <summary>
    /// Queues one run owned by the caller: 201 with the run, or 400 with the form's problems field by field.
    /// </summary>
    public static Results<Created<RunJson>, ValidationProblem, ProblemHttpResult> Queue(
        QueueRunRequest request, RunPlanner planner, RunPresetCatalog presets, RunResults results, CallerResolver callers, HttpContext context)
    {
        var caller = callers.Resolve(context.User);
        if (!AccessRules.CanQueueRuns(caller)) return Denied(caller, "queue runs");
        var (form, problems) = request.ToForm(presets);
        if (form is null) return ApiProblems.Invalid(problems, "The run request names something unknown.");
        try
        {
            var plan = planner.Queue(caller, form.ToRequest());
            if (!plan.Succeeded) return ApiProblems.Invalid(plan.Errors, "The run cannot be queued as asked.");
            var run = plan.Runs[0];
            return TypedResults.Created($"{MedvisAuthentication.RestApiPath}/runs/{run.Id}", Describe(results.Run(run.Id) ?? run, results));
        }
        catch (AccessDeniedException e)
        {
            return ApiProblems.Forbidden(e.Message);
        }
    }

    /// <summary>Cancels a queued or training run; 409 when it already ended.</summary>
    public static Results<Ok<RunJson>, ProblemHttpResult> Cancel(int runId, RunPlanner planner, RunResults results, CallerResolver callers, HttpContext context) =>
        Manage(runId, results, callers, context, caller => planner.Cancel(caller, runId) ? null : $"Run {runId} has already ended.");

    /// <summary>Queues a cancelled run again; 409 when it is not cancelled.</summary>
    public static Results<Ok<RunJson>, ProblemHttpResult> Resume(int runId, RunPlanner planner, RunResults results, CallerResolver callers, HttpContext context) =>
        Manage(runId, results, callers, context, caller => planner.Resume(caller, runId));

    /// <summary>Deletes an ended run; 409 while it is queued or training.</summary>
    public static Results<NoContent, ProblemHttpResult> Delete(int runId, RunPlanner planner, RunResults results, CallerResolver callers, HttpContext context)
    {
        if (results.Run(runId) is null) return ApiProblems.NotFound($"Run {runId} does not exist.");
        try
        {
            return planner.Delete(callers.Resolve(context.User), runId) is { } refusal ? ApiProblems.Conflict(refusal) : TypedResults.NoContent();
        }
        catch (AccessDeniedException e)
        {
            return ApiProblems.Forbidden(e.Message);
        }
    }

    // Runs an action of the planner (null: done, else why not) and answers with the run as it is afterwards.
    private static Results<Ok<RunJson>, ProblemHttpResult> Manage(
        int runId, RunResults results, CallerResolver callers, HttpContext context, Func<Caller, string?> act)
    {
        if (results.Run(runId) is null) return ApiProblems.NotFound($"Run {runId} does not exist.");
        try
        {
            if (act(callers.Resolve(context.User)) is { } refusal) return ApiProblems.Conflict(refusal);
        }
        catch (AccessDeniedException e)
        {
            return ApiProblems.Forbidden(e.Message);
        }
        return results.Run(runId) is { } run ? TypedResults.Ok(Describe(run, results)) : ApiProblems.NotFound($"Run {runId} does not exist.");
    }

    private static ProblemHttpResult Denied(Caller caller, string what) => ApiProblems.Forbidden(AccessDeniedException.MessageFor(caller, what));

    // Only a queued run has a place in line, and finding it needs the other queued runs.
    private static RunJson Describe(RunRecord run, RunResults results) =>
        RunJson.Of(run, run.Status == RunStatus.Queued ? PlaceOf(QueuePositions.Of(results.Runs()), run.Id) : null);

    private static int? PlaceOf(IReadOnlyDictionary<int, int> places, int runId) => places.TryGetValue(runId, out var place) ? place : null;
}
