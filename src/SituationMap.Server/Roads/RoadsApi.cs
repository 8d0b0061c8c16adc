using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Roads;

public sealed record RoadProperties(string? Name, string? NameEn, string Class, bool OneWay, int? MaxSpeedKmh);

/// <summary>Roads are reference data (basemap, routing): read-only here, loaded by the seed command or imports.</summary>
public static class RoadsApi
{
    public static RouteGroupBuilder MapRoadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/roads").WithTags("Roads").RequireAuthorization(Accounts.Permissions.Read);
        group.MapGet("/", List).WithName("ListRoads")
            .Produces<FeatureCollection<RoadProperties>>(StatusCodes.Status200OK, "application/geo+json").ProducesValidationProblem();
        return group;
    }

    /// <summary>?bbox, ?class (comma-separated OSM highway values), ?limit, ?after.</summary>
    public static async Task<IResult> List([AsParameters] PageQuery page, string? @class, SituationMapDb db, HttpRequest request, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        page.Validate(problems);
        var classes = FilterValues.Codes(@class, "class", problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var query = db.Roads.AsNoTracking();
        if (page.BboxPolygon() is { } box) query = query.Where(r => r.Geometry.Intersects(box));
        if (classes is not null) query = query.Where(r => classes.Contains(r.Class));
        if (page.After is { } after) query = query.Where(r => r.Id > after);
        var rows = await query.OrderBy(r => r.Id).Take(page.EffectiveLimit + 1).ToListAsync(ct);
        return page.ToFeatureCollection(rows, r => r.Id, r => new Feature<RoadProperties>(r.Id, r.Geometry, new(r.Name, r.NameEn, r.Class, r.OneWay, r.MaxSpeedKmh)), request);
    }
}
