using Medvis.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Medvis.Web.Apis.V1;

/// <summary>New images placed on a finished run's map by its model, as the out-of-sample panel does.</summary>
public static class PlacementEndpoints
{
    /// <summary>Maps the placement route onto the API's group.</summary>
    public static RouteGroupBuilder MapPlacementEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/runs/{runId:int}/placements", PlaceAsync).WithTags("Run results").WithName("PlaceImages")
            .WithSummary("Place new images (multipart form files: PNG/JPEG/TIFF/DICOM, or one .npz) on the run's map: position, class vote, and whether each is unlike the training images")
            .Accepts<IFormFileCollection>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>Places the request's files.</summary>
    public static async Task<Results<Ok<PlacementJson>, ProblemHttpResult>> PlaceAsync(int runId, HttpRequest request, OutOfSampleService outOfSample,
        RunResults results, CallerResolver callers, HttpContext context)
    {
        if (results.Run(runId) is null) return ApiProblems.NotFound($"Run {runId} does not exist.");
        // Anything but multipart/form-data is answered 415 before this runs (the route accepts only that).
        var form = await request.ReadFormAsync(context.RequestAborted);
        if (form.Files.Count > OutOfSampleService.MaxFiles) return BadRequest($"{form.Files.Count} files; at most {OutOfSampleService.MaxFiles} per request.");
        var files = new List<UploadedFile>();
        foreach (var file in form.Files)
        {
            if (file.Length > OutOfSampleService.MaxFileBytes) return BadRequest($"{file.FileName}: larger than {OutOfSampleService.MaxFileBytes >> 20} MB.");
            using var memory = new MemoryStream();
            await file.CopyToAsync(memory, context.RequestAborted);
            files.Add(new UploadedFile(file.FileName, memory.ToArray()));
        }
        try
        {
            return TypedResults.Ok(PlacementJson.Of(runId, await outOfSample.PlaceAsync(callers.Resolve(context.User), runId, files)));
        }
        catch (AccessDeniedException e)
        {
            return ApiProblems.Forbidden(e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException || UserErrors.IsUserError(e))
        {
            return BadRequest(UserErrors.Describe(e));
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The images cannot be placed");
}
