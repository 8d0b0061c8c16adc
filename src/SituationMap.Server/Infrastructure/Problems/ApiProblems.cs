using Microsoft.AspNetCore.Mvc;

namespace SituationMap.Server.Infrastructure.Problems;

/// <summary>The RFC 7807 problem+json responses of the API. The type URIs are documented in README (API → Errors).</summary>
public static class ApiProblems
{
    public const string TypeBase = "https://situationmap.dev/problems/";

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors, string title = "The request is invalid.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Type = TypeBase + "validation",
            Title = title,
            Status = StatusCodes.Status400BadRequest,
            Detail = errors.Count == 1
                ? $"{errors.First().Key}: {string.Join(" ", errors.First().Value)}"
                : $"{errors.Values.Sum(v => v.Length)} problems; see errors (keys are JSON pointers into the request).",
        });

    public static IResult Single(string pointer, string message) =>
        Validation(new Dictionary<string, string[]> { [pointer] = [message] });

    public static IResult NotFound(string layer, long id) => Problem(
        StatusCodes.Status404NotFound, "not-found", "Not found.", $"There is no {layer} feature with id {id}.");

    public static IResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Type = TypeBase + type, Title = title, Status = status, Detail = detail };
        if (extensions is not null)
        {
            foreach (var (k, v) in extensions) problem.Extensions[k] = v;
        }
        return TypedResults.Problem(problem);
    }
}
