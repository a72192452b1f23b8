using System.Text;
using Medvis.Core.Evaluation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medvis.Web.Apis.V1;

/// <summary>
/// What a finished run produced: its map (JSON or coords.csv), metrics, card (run.json) and model (model.bin), for
/// callers who may read the run.
/// </summary>
public static class RunFileEndpoints
{
    /// <summary>Maps the run file routes onto the API's group.</summary>
    public static RouteGroupBuilder MapRunFileEndpoints(this RouteGroupBuilder api)
    {
        var files = api.MapGroup("/runs/{runId:int}").WithTags("Run results");
        files.MapGet("/coordinates", Coordinates).WithName("GetCoordinates").WithSummary("The map: one record per point").ProducesProblem(StatusCodes.Status404NotFound);
        files.MapGet("/coordinates.csv", CoordinatesCsv).WithName("GetCoordinatesCsv").WithSummary("The map as coords.csv (the format medvis train writes)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound);
        files.MapGet("/metrics", Metrics).WithName("GetMetrics").WithSummary("The metrics report (kNN accuracy, linear probe, quality, per class)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        files.MapGet("/card", Card).WithName("GetCard").WithSummary("The reproducibility card, run.json (medvis train --card takes it)")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        files.MapGet("/model", Model).WithName("GetModel").WithSummary("The trained model, model.bin (medvis eval --model takes it)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
        files.AddEndpointFilter(RunReadFilter);
        return api;
    }

    /// <summary>The map as JSON records.</summary>
    public static Results<Ok<CoordinatesJson>, ProblemHttpResult> Coordinates(int runId, RunResults results) =>
        results.Coordinates(runId) is { } map ? TypedResults.Ok(CoordinatesJson.Of(runId, map)) : NoMap(runId, results);

    /// <summary>The map as coords.csv.</summary>
    public static Results<FileContentHttpResult, ProblemHttpResult> CoordinatesCsv(int runId, RunResults results) =>
        results.Coordinates(runId) is { } map
            ? TypedResults.File(Encoding.UTF8.GetBytes(CoordsCsv.Format(map)), "text/csv", $"run-{runId}-coordinates.csv")
            : NoMap(runId, results);

    /// <summary>The metrics report the run stored.</summary>
    public static Results<ContentHttpResult, ProblemHttpResult> Metrics(int runId, RunResults results) =>
        results.MetricsJson(runId) is { } json ? TypedResults.Text(json, "application/json") : Missing(runId, results, "metrics");

    /// <summary>The run's card.</summary>
    public static Results<FileContentHttpResult, ProblemHttpResult> Card(int runId, RunResults results) =>
        results.Card(runId) is { } card
            ? TypedResults.File(Encoding.UTF8.GetBytes(card.ToJson()), "application/json", $"run-{runId}-run.json")
            : Missing(runId, results, "card");

    /// <summary>The trained model.</summary>
    public static Results<FileContentHttpResult, ProblemHttpResult> Model(int runId, RunResults results) =>
        results.Model(runId) is { } bytes
            ? TypedResults.File(bytes, "application/octet-stream", $"run-{runId}-model.bin")
            : Missing(runId, results, "model");

    private static ProblemHttpResult NoMap(int runId, RunResults results) => Missing(runId, results, "map");

    // 404 either way; the detail says whether the run is missing or has not produced the file (yet).
    private static ProblemHttpResult Missing(int runId, RunResults results, string what) => results.Run(runId) is { } run
        ? ApiProblems.NotFound($"Run {runId} has no {what} ({RunJson.Lower(run.Status)}{(run.Kind == RunKind.Imported ? ", imported" : "")}).")
        : ApiProblems.NotFound($"Run {runId} does not exist.");

    // Every route here names a run: only callers who may read it get anything (a share link: its own runs).
    private static async ValueTask<object?> RunReadFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var runId = context.HttpContext.Request.RouteValues["runId"] is string text
            && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : 0;
        var caller = context.HttpContext.RequestServices.GetRequiredService<CallerResolver>().Resolve(context.HttpContext.User);
        return AccessRules.CanRead(caller, runId) ? await next(context) : ApiProblems.Forbidden($"You may not read run {runId}.");
    }
}
