using System.Security.Claims;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using UnitEndpoints = SituationMap.Server.Infrastructure.Layers.LayerEndpoints<
    SituationMap.Server.Patrols.PatrolUnitLayer, SituationMap.Server.Patrols.PatrolUnit,
    SituationMap.Server.Patrols.PatrolUnitWrite, SituationMap.Server.Patrols.PatrolUnitProperties,
    SituationMap.Server.Patrols.PatrolUnitFilter>;

namespace SituationMap.Server.Patrols;

public static class PatrolsApi
{
    public static RouteGroupBuilder MapPatrolRoutesApi(this IEndpointRouteBuilder app) =>
        LayerEndpoints<PatrolRouteLayer, PatrolRoute, PatrolRouteWrite, PatrolRouteProperties, PatrolRouteFilter>.Map(app, "PatrolRoutes");

    public static RouteGroupBuilder MapPatrolUnitsApi(this IEndpointRouteBuilder app)
    {
        var group = UnitEndpoints.Map(app, "PatrolUnits");
        group.MapPost("/positions", IngestPositions).WithName("IngestUnitPositions")
            .RequireAuthorization(Permissions.UnitsWrite).RequireRateLimiting(AuthSetup.IngestLimit)
            .Accepts<PositionBatch>("application/json")
            .Produces<PositionBatchResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/tracks", Tracks).WithName("GetUnitTracks")
            .Produces<FeatureCollection<UnitTrackProperties>>(StatusCodes.Status200OK, UnitEndpoints.GeoJson).ProducesValidationProblem();
        group.MapGet("/{id:long}/track", Track).WithName("GetUnitTrack")
            .Produces<FeatureCollection<TrackPointProperties>>(StatusCodes.Status200OK, UnitEndpoints.GeoJson)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<IResult> IngestPositions(HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var (json, problem) = await FeatureReader.ReadJsonAsync(request, ct);
        if (problem is not null) return problem;
        using (json)
        {
            var problems = new ProblemCollector();
            var batch = FeatureReader.BindObject<PositionBatch>(json!.RootElement, "", problems);
            if (batch is null) return problems.ToResult();
            var (result, invalid) = await PositionIngest.IngestAsync(db, batch, UserScope.Of(user), Audit.AuditActor.Current(request.HttpContext), ct);
            if (invalid is not null) return invalid;
            ChangeSeq.SetHeader(request.HttpContext.Response, result!.ChangeSeq);
            return TypedResults.Json(result, ApiJson.Options);
        }
    }

    /// <summary>
    /// Every unit's track over a window, one LineString each, for playback: ?from, ?to (default: the last hour; at
    /// most 7 days), ?bbox. properties.times holds the epoch second of each vertex.
    /// </summary>
    public static async Task<IResult> Tracks(string? from, string? to, string? bbox, Npgsql.NpgsqlDataSource dataSource, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var end = FilterValues.Time(to, "to", problems) ?? DateTimeOffset.UtcNow;
        var start = FilterValues.Time(from, "from", problems) ?? end.AddHours(-1);
        FilterValues.Window(start, end, problems);
        if (end - start > TimeSpan.FromDays(7)) problems.Add("?from", "the window may span at most 7 days.");
        var box = bbox is null ? null : PageQuery.ParseBbox(bbox, "?bbox", problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var tracks = await UnitTracks.ReadAsync(dataSource, start, end, box, UserScope.Of(user), ct);
        return TypedResults.Json(new FeatureCollection<UnitTrackProperties>(tracks, tracks.Count, 0, []), ApiJson.Options, UnitEndpoints.GeoJson);
    }

    /// <summary>Track points of one unit in time order: ?from, ?to (ISO 8601), ?limit (default 1,000, at most 10,000).</summary>
    public static async Task<IResult> Track(long id, string? from, string? to, int? limit, SituationMapDb db, ClaimsPrincipal user, HttpRequest request, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var (f, t) = (FilterValues.Time(from, "from", problems), FilterValues.Time(to, "to", problems));
        FilterValues.Window(f, t, problems);
        if (limit is < 1 or > PageQuery.MaxLimit) problems.Add("?limit", $"must be between 1 and {PageQuery.MaxLimit}.");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        if (!await UnitEndpoints.Visible(db, user).AnyAsync(u => u.Id == id, ct)) return ApiProblems.NotFound(PatrolUnitLayer.Name, id);

        var points = db.UnitPositions.AsNoTracking().Where(p => p.UnitId == id);
        if (f is { } a) points = points.Where(p => p.RecordedAt >= a);
        if (t is { } b) points = points.Where(p => p.RecordedAt < b);
        var rows = await points.OrderBy(p => p.RecordedAt).ThenBy(p => p.Id).Take(limit ?? PageQuery.DefaultLimit).ToListAsync(ct);
        var features = rows.ConvertAll(p => new Feature<TrackPointProperties>(p.Id, p.Location, new(p.RecordedAt, p.SpeedMps, p.HeadingDeg)));
        var links = new List<Link> { new(request.GetEncodedPathAndQuery(), "self") };
        return TypedResults.Json(new FeatureCollection<TrackPointProperties>(features, features.Count, 0, links), ApiJson.Options, UnitEndpoints.GeoJson);
    }
}
