using System.Security.Claims;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Patrols;

/// <summary>
/// The three-level patrol control over HTTP: GET /api/patrols/overview, /hotspot-coverage, /dosage,
/// POST /api/patrols/suggest and GET /api/patrol-units/{id}/deviation (see <see cref="PatrolAnalytics"/>).
/// </summary>
public static class PatrolAnalyticsApi
{
    public static IServiceCollection AddPatrolAnalytics(this IServiceCollection services)
    {
        services.AddSingleton<PatrolAnalytics>();
        return services;
    }

    public static void MapPatrolAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patrols").WithTags("Patrols").RequireAuthorization(Permissions.Read);
        group.MapGet("/overview", Overview).WithName("GetPatrolOverview").Produces<PatrolOverview>();
        group.MapGet("/hotspot-coverage", HotspotCoverage).WithName("GetPatrolHotspotCoverage")
            .Produces<HotspotCoverageResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/dosage", Dosage).WithName("GetPatrolDosage")
            .Produces<DosageResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/suggest", Suggest).WithName("SuggestPatrolLoop").RequireRateLimiting(AuthSetup.HeavyLimit)
            .Produces<SuggestResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/patrol-units/{id:long}/deviation", Deviation).WithTags("Patrols").WithName("GetUnitRouteDeviation")
            .RequireAuthorization(Permissions.Read)
            .Produces<DeviationResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<IResult> Overview(PatrolAnalytics patrols, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Json(await patrols.OverviewAsync(UserScope.Of(user), ct), ApiJson.Options);

    /// <summary>?minutes: travel time from the routes (default 5, 1–30); ?days: hot spots of the last days (default 28, 7–365).</summary>
    public static async Task<IResult> HotspotCoverage(double? minutes, int? days, PatrolAnalytics patrols, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        if (minutes is { } m && (!double.IsFinite(m) || m is < 1 or > 30)) problems.Add("?minutes", "must be between 1 and 30.");
        CheckDays(days, problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var result = await patrols.HotspotCoverageAsync(minutes ?? 5, days ?? PatrolAnalytics.DefaultDays, UserScope.Of(user), ct);
        return result is null ? NoRoads() : TypedResults.Json(result, ApiJson.Options);
    }

    /// <summary>?from, ?to (ISO 8601; default: the current shift until now; at most 24 h); ?days as for hotspot coverage.</summary>
    public static async Task<IResult> Dosage(string? from, string? to, int? days, PatrolAnalytics patrols, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var (f, t) = (FilterValues.Time(from, "from", problems), FilterValues.Time(to, "to", problems));
        FilterValues.Window(f, t, problems);
        if (f is { } a && t is { } b && b - a > TimeSpan.FromHours(24)) problems.Add("?from", "the window may span at most 24 hours (one shift or day).");
        CheckDays(days, problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var result = await patrols.DosageAsync(f, t, days ?? PatrolAnalytics.DefaultDays, UserScope.Of(user), ct);
        return result is null ? NoRoads() : TypedResults.Json(result, ApiJson.Options);
    }

    public static async Task<IResult> Suggest(SuggestRequest? request, int? days, PatrolAnalytics patrols, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Single("", "the body must be {\"unit_id\": …} or {\"start\": [lon, lat], \"mode\": …}, with minutes.");
        var problems = new ProblemCollector();
        CheckDays(days, problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var (result, problem) = await patrols.SuggestAsync(request, days ?? PatrolAnalytics.DefaultDays, UserScope.Of(user), ct);
        return problem ?? TypedResults.Json(result, ApiJson.Options);
    }

    /// <summary>?from, ?to (default: the current shift until now).</summary>
    public static async Task<IResult> Deviation(long id, string? from, string? to, PatrolAnalytics patrols, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var (f, t) = (FilterValues.Time(from, "from", problems), FilterValues.Time(to, "to", problems));
        FilterValues.Window(f, t, problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var (result, problem) = await patrols.DeviationAsync(id, f, t, UserScope.Of(user), ct);
        return problem ?? TypedResults.Json(result, ApiJson.Options);
    }

    private static void CheckDays(int? days, ProblemCollector problems)
    {
        if (days is < 7 or > 365) problems.Add("?days", "must be between 7 and 365 (the hot spots of that many days).");
    }

    private static IResult NoRoads() => ApiProblems.Problem(StatusCodes.Status404NotFound, "no-roads", "There is no road network.", "The roads layer is empty.");
}
