using System.Text.Json;
using System.Text.RegularExpressions;

namespace SituationMap.Server.Infrastructure.Problems;

/// <summary>
/// Problems the framework raises before a handler runs, made as clear as the handlers' own. A JSON body that does not
/// bind to an endpoint's contract (minimal-API body binding: dispatch, routing, coverage planning, patrol suggestions)
/// is a 400 naming the JSON pointer and what is wrong; a request refused by routing (Content-Type not taken, no such
/// endpoint, method not allowed) says what was sent.
/// </summary>
public static partial class RequestProblems
{
    [GeneratedRegex("^The JSON property '(?<name>.+?)' could not be mapped")]
    private static partial Regex UnknownProperty();

    /// <summary>The 400 for a body that does not bind (the binder's JsonException), or null for other bad requests.</summary>
    public static IResult? FromUnboundBody(BadHttpRequestException bad)
    {
        if (bad.InnerException is not JsonException json) return null;
        var path = json.Path is { Length: > 1 } p ? p[1..].Replace('.', '/').Replace("[", "/").Replace("]", "").TrimStart('/') : "";
        var pointer = path.Length > 0 ? "/" + path : "";
        var message = FirstSentence(json.Message);
        if (UnknownProperty().Match(message) is { Success: true } unknown)
            return ApiProblems.Single($"{pointer}/{unknown.Groups["name"].Value}", "unknown property.");
        if (message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
            return ApiProblems.Single(pointer, $"expected {Expected(message)}.");
        return ApiProblems.Single(pointer, pointer.Length == 0 ? $"the body is not valid JSON for this endpoint: {message}" : message);
    }

    /// <summary>Fills in the detail of a problem the framework wrote for a bare status code (415, 405, 404).</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null) return;
        var request = context.HttpContext.Request;
        var what = $"{request.Method} {request.Path}";
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status415UnsupportedMediaType => $"{what} does not take Content-Type '{request.ContentType ?? "(none)"}': send JSON bodies as " +
                "application/json (features also as application/geo+json) and imports as multipart/form-data.",
            StatusCodes.Status405MethodNotAllowed => $"{what}: this method is not allowed on this path.",
            StatusCodes.Status404NotFound => $"There is no endpoint {what}.",
            _ => null,
        };
    }

    private static string Expected(string message)
    {
        var type = message["The JSON value could not be converted to ".Length..];
        if (type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal)) return "an array";
        if (type.Contains("Int64", StringComparison.Ordinal) || type.Contains("Int32", StringComparison.Ordinal)) return "an integer";
        if (type.Contains("Double", StringComparison.Ordinal)) return "a finite number";
        if (type.Contains("Boolean", StringComparison.Ordinal)) return "true or false";
        if (type.Contains("DateTimeOffset", StringComparison.Ordinal)) return "an ISO 8601 date-time with an offset";
        if (type.Contains("String", StringComparison.Ordinal)) return "a string";
        return "a value of another type";
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
