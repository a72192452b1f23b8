using Microsoft.AspNetCore.Http.HttpResults;

namespace Medvis.Web.Apis.V1;

/// <summary><c>/api/v1/datasets</c>: the registered datasets, for signed-in users (as the Datasets page).</summary>
public static class DatasetEndpoints
{
    /// <summary>Maps the dataset routes onto the API's group.</summary>
    public static RouteGroupBuilder MapDatasetEndpoints(this RouteGroupBuilder api)
    {
        var datasets = api.MapGroup("/datasets").WithTags("Datasets");
        datasets.MapGet("/", List).WithName("ListDatasets").WithSummary("Every registered dataset, oldest first");
        datasets.MapGet("/{datasetId:int}", Get).WithName("GetDataset").WithSummary("One dataset").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>Every registered dataset.</summary>
    public static Results<Ok<IReadOnlyList<DatasetJson>>, ProblemHttpResult> List(DatasetService datasets, CallerResolver callers, HttpContext context) =>
        AccessRules.CanBrowse(callers.Resolve(context.User))
            ? TypedResults.Ok<IReadOnlyList<DatasetJson>>([.. datasets.All().Select(DatasetJson.Of)])
            : ApiProblems.Forbidden("Only signed-in users list datasets.");

    /// <summary>One dataset.</summary>
    public static Results<Ok<DatasetJson>, ProblemHttpResult> Get(int datasetId, DatasetService datasets, CallerResolver callers, HttpContext context)
    {
        if (!AccessRules.CanBrowse(callers.Resolve(context.User))) return ApiProblems.Forbidden("Only signed-in users read datasets.");
        return datasets.Get(datasetId) is { } dataset ? TypedResults.Ok(DatasetJson.Of(dataset)) : ApiProblems.NotFound($"Dataset {datasetId} does not exist.");
    }
}
