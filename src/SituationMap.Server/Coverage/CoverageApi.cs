using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Live;

namespace SituationMap.Server.Coverage;

/// <summary>
/// Camera coverage: the compliance board (zones vs targets), blind spots, occluded camera views, exports, placement
/// recommendations, what-if scenarios, and the evidence finder for incidents. Everything is limited to the account's
/// districts.
/// </summary>
public static class CoverageApi
{
    public static IServiceCollection AddCoverage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CoverageOptions>(configuration.GetSection("Coverage"));
        services.AddSingleton<CoverageService>();
        services.AddSingleton<CoveragePlanner>();
        services.AddSingleton<EvidenceFinder>();
        services.AddSingleton<CoverageUpdater>();
        services.AddSingleton<IChangeObserver>(s => s.GetRequiredService<CoverageUpdater>());
        services.AddHostedService(s => s.GetRequiredService<CoverageUpdater>());
        return services;
    }

    public static RouteGroupBuilder MapCoverageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/coverage").WithTags("Coverage").RequireAuthorization(Permissions.Read);
        group.MapGet("", Report).WithName("GetCoverage").Produces<CoverageReportResponse>();
        group.MapGet("/blind-spots", BlindSpots).WithName("GetBlindSpots").Produces<CoverageFeatureCollection<BlindSpotProperties>>().ProducesValidationProblem();
        group.MapGet("/views", Views).WithName("GetCameraViews").Produces<CoverageFeatureCollection<CameraViewProperties>>().ProducesValidationProblem();
        // downloads leave the system: permission export, audited
        app.MapGet("/api/coverage.csv", Csv).WithTags("Coverage").WithName("ExportCoverage").RequireAuthorization(Permissions.Export)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        group.MapGet("/blind-spots.geojson", BlindSpotsGeoJson).WithName("ExportBlindSpots").RequireAuthorization(Permissions.Export)
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json").ProducesValidationProblem();
        // planning: computation only, nothing is written; committing a scenario goes through the cameras API
        group.MapPost("/recommendations", Recommend).WithName("RecommendCameras").RequireAuthorization(Permissions.PlanningWrite)
            .RequireRateLimiting(AuthSetup.WriteLimit).Produces<RecommendationResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/scenarios/evaluate", Evaluate).WithName("EvaluateScenario").RequireAuthorization(Permissions.PlanningWrite)
            .RequireRateLimiting(AuthSetup.WriteLimit).Produces<ScenarioResponse>().ProducesValidationProblem();
        app.MapGet("/api/incidents/{id:long}/evidence", Evidence).WithTags("Coverage").WithName("GetIncidentEvidence").RequireAuthorization(Permissions.Read)
            .Produces<EvidenceResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static IResult Json<T>(T value) => TypedResults.Json(value, ApiJson.Options);

    private static IResult NothingToMeasure() => ApiProblems.Problem(StatusCodes.Status404NotFound, "no-coverage-zones", "Nothing to measure.",
        "There are no zones with a coverage target and no cameras yet.");

    public static async Task<IResult> Report(CoverageService coverage, ClaimsPrincipal user, CancellationToken ct)
    {
        var scope = UserScope.Of(user);
        var report = await coverage.ReadAsync(m => coverage.Report(m, scope), ct);
        return report is null ? NothingToMeasure() : Json(report);
    }

    /// <summary>?below_target (default true), ?district, ?kind.</summary>
    public static async Task<IResult> BlindSpots([AsParameters] BlindSpotQuery query, CoverageService coverage, ClaimsPrincipal user, CancellationToken ct)
    {
        var (result, problem) = await query.ReadAsync(coverage, user, ct);
        return problem ?? Json(result);
    }

    public static async Task<IResult> BlindSpotsGeoJson([AsParameters] BlindSpotQuery query, CoverageService coverage, ClaimsPrincipal user,
        SituationMapDb db, HttpContext context, CancellationToken ct)
    {
        var (result, problem) = await query.ReadAsync(coverage, user, ct);
        if (problem is not null) return problem;
        await AuditContext.RecordExportAsync(db, "coverage", new { format = "geojson", query = context.Request.QueryString.Value, rows = result!.Features.Count }, ct);
        return TypedResults.File(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result, ApiJson.Options), "application/geo+json",
            $"blind-spots-{DateTime.UtcNow:yyyyMMdd-HHmm}.geojson");
    }

    /// <summary>?below_target (default true), ?district, ?kind: which blind spots.</summary>
    public sealed record BlindSpotQuery([property: FromQuery(Name = "below_target")] bool? BelowTarget, string? District, string? Kind)
    {
        public async Task<(CoverageFeatureCollection<BlindSpotProperties>? Result, IResult? Problem)> ReadAsync(CoverageService coverage,
            ClaimsPrincipal user, CancellationToken ct)
        {
            var problems = new ProblemCollector();
            var zoneKind = ZoneKindOf(Kind, problems);
            if (problems.Any) return (null, problems.ToResult("The query is invalid."));
            var scope = UserScope.Of(user);
            var result = await coverage.ReadAsync(m => coverage.BlindSpots(m, scope, BelowTarget ?? true, District, zoneKind), ct);
            return result is null ? (null, NothingToMeasure()) : (result, null);
        }
    }

    /// <summary>?bbox=minLon,minLat,maxLon,maxLat (default: everywhere), ?limit (default 5000).</summary>
    public static async Task<IResult> Views(string? bbox, int? limit, CoverageService coverage, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        Envelope? box = null;
        if (bbox is not null)
        {
            var parts = bbox.Split(',');
            var values = new double[parts.Length];
            var ok = parts.Length == 4 && parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i])).All(x => x);
            if (!ok || values[0] > values[2] || values[1] > values[3]) problems.Add("?bbox", "must be minLon,minLat,maxLon,maxLat in degrees.");
            else box = new Envelope(values[0], values[2], values[1], values[3]);
        }
        if (limit is < 1 or > 20_000) problems.Add("?limit", "must be between 1 and 20000.");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var scope = UserScope.Of(user);
        var result = await coverage.ReadAsync(m => coverage.Views(m, scope, box, limit ?? 5_000), ct);
        return result is null ? NothingToMeasure() : Json(result);
    }

    public static async Task<IResult> Csv(CoverageService coverage, ClaimsPrincipal user, SituationMapDb db, HttpContext context, CancellationToken ct)
    {
        var scope = UserScope.Of(user);
        var report = await coverage.ReadAsync(m => coverage.Report(m, scope), ct);
        if (report is null) return NothingToMeasure();
        await AuditContext.RecordExportAsync(db, "coverage", new { format = "csv", query = context.Request.QueryString.Value, rows = report.Zones.Count }, ct);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(CoverageService.ToCsv(report)), "text/csv; charset=utf-8",
            $"coverage-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv");
    }

    public static async Task<IResult> Recommend(RecommendationRequest? request, CoveragePlanner planner, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var scope = UserScope.Of(user);
        var plan = CoveragePlanner.Validate(request, scope, problems);
        if (problems.Any) return problems.ToResult();
        // an unknown district is a mistake, not a district without gaps (a city-wide account reaches here for any code)
        if (plan!.District is { } district && !await db.Districts.AnyAsync(d => d.Code == district, ct))
        {
            problems.Add("/district", $"there is no district '{district}'.");
            return problems.ToResult();
        }
        var (result, problem) = await planner.RecommendAsync(plan!, scope, ct);
        return problem ?? Json(result);
    }

    public static async Task<IResult> Evaluate(ScenarioRequest? request, CoveragePlanner planner, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        CoveragePlanner.Validate(request, problems);
        if (problems.Any) return problems.ToResult();
        var result = await planner.EvaluateAsync(request!, UserScope.Of(user), ct);
        return result switch
        {
            null => NothingToMeasure(),
            IResult problem => problem,
            _ => Json((ScenarioResponse)result),
        };
    }

    /// <summary>?search_m: how far to look for cameras (default 300, at most 1000 m).</summary>
    public static async Task<IResult> Evidence(long id, [FromQuery(Name = "search_m")] double? searchM, EvidenceFinder finder, ClaimsPrincipal user, CancellationToken ct)
    {
        var search = searchM ?? 300;
        if (!double.IsFinite(search) || search is < 1 or > 1000) return ApiProblems.Single("?search_m", "must be between 1 and 1000 metres.");
        var result = await finder.FindAsync(id, search, UserScope.Of(user), ct);
        return result is null ? ApiProblems.NotFound("incidents", id) : Json(result);
    }

    private static ZoneKind? ZoneKindOf(string? kind, ProblemCollector problems)
    {
        if (kind is null) return null;
        if (WireNames.TryParse<ZoneKind>(kind, out var k)) return k;
        problems.Add("?kind", "is not a zone kind (" + string.Join(", ", WireNames.All<ZoneKind>()) + ").");
        return null;
    }
}
