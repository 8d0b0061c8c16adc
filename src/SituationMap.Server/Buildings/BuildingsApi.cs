using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Buildings;

public sealed record BuildingProperties(string? Ref, string Source, string Kind, int? Levels, double? HeightM, string? District);

/// <summary>Building footprints are reference data (basemap, camera occlusion): listed here, loaded by the seed command
/// (the demo city) or imported per source (<see cref="BuildingImport"/>).</summary>
public static class BuildingsApi
{
    public static RouteGroupBuilder MapBuildingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/buildings").WithTags("Buildings").RequireAuthorization(Accounts.Permissions.Read);
        group.MapGet("/", List).WithName("ListBuildings")
            .Produces<FeatureCollection<BuildingProperties>>(StatusCodes.Status200OK, "application/geo+json").ProducesValidationProblem();
        group.MapPut("/sources/{source}", BuildingImport.Replace).WithName("ImportBuildings")
            .RequireAuthorization(Accounts.Permissions.PlanningWrite).RequireRateLimiting(Accounts.AuthSetup.WriteLimit)
            .Accepts<FeatureCollection<BuildingProperties>>("application/geo+json")
            .Produces<BuildingImportResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return group;
    }

    /// <summary>?bbox, ?kind (comma-separated), ?limit, ?after.</summary>
    public static async Task<IResult> List([AsParameters] PageQuery page, string? kind, SituationMapDb db, HttpRequest request, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        page.Validate(problems);
        var kinds = FilterValues.Codes(kind, "kind", problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var query = db.Buildings.AsNoTracking();
        if (page.BboxPolygon() is { } box) query = query.Where(b => b.Geometry.Intersects(box));
        if (kinds is not null) query = query.Where(b => kinds.Contains(b.Kind));
        if (page.After is { } after) query = query.Where(b => b.Id > after);
        var rows = await query.OrderBy(b => b.Id).Take(page.EffectiveLimit + 1).ToListAsync(ct);
        return page.ToFeatureCollection(rows, b => b.Id, b => new Feature<BuildingProperties>(b.Id, b.Geometry, new(b.Ref, b.Source, b.Kind, b.Levels, b.HeightM, b.District)), request);
    }
}
