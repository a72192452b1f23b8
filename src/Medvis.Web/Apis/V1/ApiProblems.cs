using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ValidationProblem = Microsoft.AspNetCore.Http.HttpResults.ValidationProblem;
using TrainingProblem = Medvis.Core.Training.ValidationProblem;

namespace Medvis.Web.Apis.V1;

/// <summary>The REST API's errors as RFC 9457 problem details, one line each.</summary>
public static class ApiProblems
{
    /// <summary>404: <paramref name="detail"/> names what does not exist.</summary>
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>403: the caller's role does not allow it.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>409: the request does not fit the resource's state (cancel an ended run, delete a running one).</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>
    /// 400 with the problems field by field, as the form shows them beside its fields; the keys are the request's
    /// JSON property names where the field is one (camelCase).
    /// </summary>
    public static ValidationProblem Invalid(IEnumerable<TrainingProblem> problems, string detail) =>
        TypedResults.ValidationProblem(
            problems.GroupBy(p => JsonNamingPolicy.CamelCase.ConvertName(p.Field))
                .ToDictionary(g => g.Key, g => g.Select(p => p.Message).Distinct().ToArray()),
            detail: detail, title: "The request is invalid");
}
