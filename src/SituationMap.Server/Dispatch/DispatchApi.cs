using System.Globalization;
using System.Security.Claims;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Routing;

namespace SituationMap.Server.Dispatch;

/// <summary>
/// Dispatch and road routing over HTTP: GET /api/incidents/{id}/dispatch (units ranked by ETA),
/// POST /api/incidents/{id}/dispatch (assign a unit), POST /api/routing/route (a road route through waypoints, for
/// drawing patrol routes), GET /api/response-coverage (1-3-5 minute response bands and what they cover).
/// </summary>
public static class DispatchApi
{
    public static IServiceCollection AddDispatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RoadNetwork>();
        services.AddHostedService<RoadNetworkWarmUp>();
        services.AddSingleton<DispatchService>();
        services.AddSingleton<ResponseCoverage>();
        return services;
    }

    public static void MapDispatchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/incidents/{id:long}/dispatch", Options).WithTags("Dispatch").WithName("GetDispatchOptions")
            .RequireAuthorization(Permissions.Read)
            .Produces<DispatchOptionsResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/api/incidents/{id:long}/dispatch", Assign).WithTags("Dispatch").WithName("DispatchUnit")
            .RequireAuthorization(Permissions.IncidentsWrite).RequireAuthorization(Permissions.UnitsWrite).RequireRateLimiting(AuthSetup.WriteLimit)
            .Produces<DispatchResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapPost("/api/routing/route", Route).WithTags("Dispatch").WithName("RouteThroughWaypoints")
            .RequireAuthorization(Permissions.Read).RequireRateLimiting(AuthSetup.HeavyLimit)
            .Produces<RouteResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/response-coverage", ResponseBands).WithTags("Dispatch").WithName("GetResponseCoverage")
            .RequireAuthorization(Permissions.Read)
            .Produces<ResponseCoverageResponse>().ProducesValidationProblem();
    }

    /// <summary>?routes: how many of the first ranked units get their route line (default 5, at most 50).</summary>
    public static async Task<IResult> Options(long id, int? routes, DispatchService dispatch, ClaimsPrincipal user, CancellationToken ct)
    {
        if (routes is < 0 or > 50) return ApiProblems.Single("?routes", "must be between 0 and 50.");
        var result = await dispatch.OptionsAsync(id, UserScope.Of(user), routes ?? DispatchService.DefaultRouteLines, ct);
        return result is null ? ApiProblems.NotFound("incidents", id) : TypedResults.Json(result, ApiJson.Options);
    }

    public static async Task<IResult> Assign(long id, DispatchRequest? request, DispatchService dispatch, SituationMapDb db, ClaimsPrincipal user,
        HttpContext http, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Single("", "the body must be {\"unit_id\": …}.");
        var (result, problem) = await dispatch.AssignAsync(db, id, request, UserScope.Of(user), AuditActor.Current(http), ct);
        if (problem is not null) return problem;
        http.Response.Headers[ChangeSeq.Header] = result!.ChangeSeq.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(result, ApiJson.Options);
    }

    /// <summary>2 to 50 waypoints, each [longitude, latitude] within 500 m of a road usable by the mode.</summary>
    public static async Task<IResult> Route(RouteRequest? request, RoadNetwork network, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        if (request is null) return ApiProblems.Single("", "the body must be {\"mode\": …, \"waypoints\": [[lon, lat], …]}.");
        if (request.Mode is not { } mode) problems.Add("/mode", "is required: vehicle, bicycle or foot.");
        var waypoints = request.Waypoints;
        if (waypoints is null || waypoints.Count is < 2 or > 50) problems.Add("/waypoints", "must hold 2 to 50 points [longitude, latitude].");
        else
        {
            for (var i = 0; i < waypoints.Count; i++)
            {
                var p = waypoints[i];
                if (p is not { Length: 2 } || !double.IsFinite(p[0]) || !double.IsFinite(p[1]) || p[0] is < -180 or > 180 || p[1] is < -90 or > 90)
                {
                    problems.Add($"/waypoints/{i}", "must be [longitude, latitude] in degrees.");
                }
            }
        }
        if (problems.Any) return problems.ToResult();
        var snapshot = await network.GetAsync(ct);
        if (snapshot is null) return ApiProblems.Problem(StatusCodes.Status404NotFound, "no-roads", "There is no road network.", "The roads layer is empty.");
        var travel = request.Mode!.Value.ToTravelMode();
        var positions = new List<RoadPosition>();
        for (var i = 0; i < waypoints!.Count; i++)
        {
            if (snapshot.Snap(waypoints[i][0], waypoints[i][1], travel) is { } p) positions.Add(p);
            else problems.Add($"/waypoints/{i}", $"is more than {RoadNetworkSnapshot.MaxSnapM:0} m from any road usable by {Analysis.Domain.WireNames.Of(request.Mode.Value)}.");
        }
        if (problems.Any) return problems.ToResult();
        var (route, legs, failed) = RoadRoutes.Through(snapshot.Hierarchy(travel), positions, request.Loop ?? false);
        if (route is null)
        {
            var to = failed + 1 == waypoints.Count ? 0 : failed + 1;
            return ApiProblems.Single($"/waypoints/{to}", $"cannot be reached from waypoint {failed} by road ({Analysis.Domain.WireNames.Of(request.Mode.Value)}): one-way streets or a separate network.");
        }
        var snapped = positions.Select(p => { var c = snapshot.Projection.ToWgs84(p.Point.X, p.Point.Y); return new[] { Math.Round(c.X, 7), Math.Round(c.Y, 7) }; }).ToList();
        return TypedResults.Json(new RouteResponse(request.Mode.Value, snapshot.ToWgs84(route.Geometry), Math.Round(route.Seconds, 1), Math.Round(route.LengthM, 1),
            [.. legs.Select(l => new RouteLeg(Math.Round(l.Seconds, 1), Math.Round(l.LengthM, 1)))], snapped), ApiJson.Options);
    }

    /// <summary>?bands=60,180,300 (seconds, 1 to 5 values, each 30–1800).</summary>
    public static async Task<IResult> ResponseBands(string? bands, ResponseCoverage coverage, ClaimsPrincipal user, CancellationToken ct)
    {
        var seconds = new List<double>();
        foreach (var part in (bands ?? "60,180,300").Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || !double.IsFinite(s) || s is < 30 or > 1800)
            {
                return ApiProblems.Single("?bands", "must be 1 to 5 comma-separated band limits in seconds, each between 30 and 1800.");
            }
            seconds.Add(s);
        }
        if (seconds.Count is < 1 or > 5) return ApiProblems.Single("?bands", "must be 1 to 5 comma-separated band limits in seconds, each between 30 and 1800.");
        return TypedResults.Json(await coverage.ComputeAsync([.. seconds.Distinct().Order()], UserScope.Of(user), ct), ApiJson.Options);
    }
}
