using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Patrol;
using SituationMap.Server.Accounts;
using SituationMap.Server.Districts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Routing;
using static SituationMap.Server.Infrastructure.Layers.PropertyRules;

namespace SituationMap.Server.Patrols;

public sealed class PatrolRouteLayer : IFeatureLayer<PatrolRoute, PatrolRouteWrite, PatrolRouteProperties>
{
    public static string Name => "patrol_routes";

    public static string Route => "patrol-routes";

    public static string GeometryProperty => nameof(PatrolRoute.Geometry);

    public static GeometryRule GeometryRule => GeometryRule.Lines;

    public static string DistrictProperty => nameof(PatrolRoute.District);

    public static string WritePermission => Permissions.PlanningWrite;

    public static Geometry? GeometryOf(PatrolRoute e) => e.Geometry;

    public static void Validate(PatrolRouteWrite w, PatrolRoute? existing, ProblemCollector problems)
    {
        Required(w.Name, "name", problems);
        Text(w.Name, "name", 200, problems);
        Required(w.Level, "level", problems, "1 (city), 2 (district/county) or 3 (community/police station)");
        RequiredEnum(w.Mode, "mode", problems);
        Text(w.OwnerUnit, "owner_unit", 200, problems);
        Code(w.District, "district", 32, problems);
        if (w.ShiftWindows is { } shifts)
        {
            if (shifts.Count > 24) problems.Add(At("shift_windows"), "at most 24 shift windows.");
            for (var i = 0; i < shifts.Count && i < 24; i++)
            {
                var s = shifts[i];
                if (s is null) { problems.Add(At($"shift_windows/{i}"), "must be an object {start, end, days}."); continue; }
                if (s.Start == s.End) problems.Add(At($"shift_windows/{i}/end"), "must differ from start.");
                if (s.Days is null || s.Days.Any(d => d is < 1 or > 7))
                    problems.Add(At($"shift_windows/{i}/days"), "must list ISO weekdays 1 (Monday) … 7 (Sunday); [] means every day.");
            }
        }
    }

    public static void Apply(PatrolRouteWrite w, Geometry geometry, PatrolRoute e)
    {
        e.Geometry = (MultiLineString)geometry;
        e.Name = w.Name!;
        e.Level = w.Level!.Value;
        e.Mode = w.Mode!.Value;
        e.OwnerUnit = w.OwnerUnit;
        e.ShiftWindows = w.ShiftWindows ?? [];
        e.Status = w.Status ?? (e.Id == 0 ? PatrolRouteStatus.Active : e.Status);
        e.District = w.District;
    }

    public static PatrolRouteProperties ToProperties(PatrolRoute e) => new(
        e.Name, e.Level, e.Mode, e.OwnerUnit, e.ShiftWindows, e.Status, e.District, Math.Round(LengthM(e.Geometry), 1),
        e.Version, e.CreatedAt, e.UpdatedAt);

    /// <summary>
    /// Level 1 routes span the city and belong to no district; others get the district of their interior point. An
    /// active route must pass the patrol-route rules (<see cref="RouteValidation"/>) on the road network: a level-1 or
    /// vehicle route runs on roads cars may use, a level-3 route stays within its district (its community/police-station
    /// area), one loop fits the shortest shift at the mode's patrol speed. Drafts and suspended routes may break them
    /// (planners keep working on them); the rules are skipped while there is no road network.
    /// </summary>
    public static async Task PrepareAsync(SituationMapDb db, PatrolRoute e, ProblemCollector problems, CancellationToken ct)
    {
        e.District = e.Level == PatrolLevel.City && e.District is null
            ? null
            : await DistrictLookup.ResolveAsync(db, e.District, e.Geometry, problems, ct);
        if (problems.Any || e.Status != PatrolRouteStatus.Active) return;
        var network = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<RoadNetwork>();
        if (network is null || await network.GetAsync(ct) is not { } roads) return;
        Polygon? area = null;
        if (e.Level == PatrolLevel.Community && e.District is { } code)
        {
            var district = await db.Districts.AsNoTracking().Where(d => d.Code == code).Select(d => d.Area).FirstOrDefaultAsync(ct);
            area = district is null ? null : Enumerable.Range(0, district.NumGeometries).Select(i => (Polygon)roads.Projection.ToMetric(district.GetGeometryN(i))).MaxBy(p => p.Area);
        }
        var plan = new PatrolRoutePlan(roads.Projection.ToMetric(e.Geometry), e.Level, e.Mode, e.ShiftWindows, area);
        foreach (var p in RouteValidation.Validate(plan, roads.Graph))
        {
            var at = p.Code switch
            {
                RouteProblemCodes.OffRoad or RouteProblemCodes.OutsideArea => "/geometry",
                RouteProblemCodes.TooLongForShift => At("shift_windows"),
                _ => null, // no area or no shift windows: reported in the patrol overview, not a reason to refuse
            };
            if (at is not null) problems.Add(at, p.Message + " An active route must keep the patrol-route rules; save it as a draft to keep working on it.");
        }
    }

    /// <summary>Length in metres in the UTM zone of the route (O(vertices)).</summary>
    public static double LengthM(Geometry wgs84) =>
        wgs84.IsEmpty ? 0 : MetricProjection.ForExtent(wgs84.EnvelopeInternal).ToMetric(wgs84).Length;
}
