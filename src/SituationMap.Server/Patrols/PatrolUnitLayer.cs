using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Districts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using static SituationMap.Server.Infrastructure.Layers.PropertyRules;

namespace SituationMap.Server.Patrols;

public sealed class PatrolUnitLayer : IFeatureLayer<PatrolUnit, PatrolUnitWrite, PatrolUnitProperties>
{
    public static string Name => "patrol_units";

    public static string Route => "patrol-units";

    public static string GeometryProperty => nameof(PatrolUnit.Position);

    public static GeometryRule GeometryRule => GeometryRule.Point;

    public static string DistrictProperty => nameof(PatrolUnit.District);

    public static string WritePermission => Permissions.UnitsWrite;

    public static Geometry? GeometryOf(PatrolUnit e) => e.Position;

    public static void Validate(PatrolUnitWrite w, PatrolUnit? existing, ProblemCollector problems)
    {
        Required(w.CallSign, "call_sign", problems);
        Code(w.CallSign, "call_sign", 64, problems);
        Required(w.Level, "level", problems, "1 (city), 2 (district/county) or 3 (community/police station)");
        RequiredEnum(w.Mode, "mode", problems);
        Code(w.District, "district", 32, problems);
        NotFuture(w.LastSeen, "last_seen", problems);
        Range(w.SpeedMps, "speed_mps", 0, 100, problems);
        Range(w.HeadingDeg, "heading_deg", 0, 360, problems, maxExclusive: true);
    }

    public static void Apply(PatrolUnitWrite w, Geometry geometry, PatrolUnit e)
    {
        e.Position = (Point)geometry;
        e.CallSign = w.CallSign!;
        e.Level = w.Level!.Value;
        e.Mode = w.Mode!.Value;
        e.Status = w.Status ?? (e.Id == 0 ? PatrolUnitStatus.Available : e.Status);
        e.District = w.District;
        e.LastSeen = w.LastSeen ?? e.LastSeen;
        e.SpeedMps = w.SpeedMps;
        e.HeadingDeg = w.HeadingDeg;
        e.RouteId = w.RouteId;
    }

    public static PatrolUnitProperties ToProperties(PatrolUnit e) => new(
        e.CallSign, e.Level, e.Mode, e.Status, e.District, e.LastSeen, e.SpeedMps, e.HeadingDeg, e.RouteId, e.AssignedIncidentId, e.Version, e.CreatedAt, e.UpdatedAt);

    /// <summary>A unit's district is its home district (given); it is not derived from where the unit happens to be.</summary>
    public static async Task PrepareAsync(SituationMapDb db, PatrolUnit e, ProblemCollector problems, CancellationToken ct)
    {
        if (e.District is not null) await DistrictLookup.ResolveAsync(db, e.District, e.Position!, problems, ct);
        if (e.RouteId is { } route && !await db.PatrolRoutes.AnyAsync(r => r.Id == route, ct))
        {
            problems.Add("/properties/route_id", $"there is no patrol route {route}.");
        }
    }
}
