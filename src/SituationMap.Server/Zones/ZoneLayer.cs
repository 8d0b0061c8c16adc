using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Accounts;
using SituationMap.Server.Districts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using static SituationMap.Server.Infrastructure.Layers.PropertyRules;

namespace SituationMap.Server.Zones;

public sealed class ZoneLayer : IFeatureLayer<Zone, ZoneWrite, ZoneProperties>
{
    public static string Name => "zones";

    public static string Route => "zones";

    public static string GeometryProperty => nameof(Zone.Area);

    public static GeometryRule GeometryRule => GeometryRule.Areas;

    public static string DistrictProperty => nameof(Zone.District);

    public static string WritePermission => Permissions.PlanningWrite;

    public static Geometry? GeometryOf(Zone e) => e.Area;

    public static void Validate(ZoneWrite w, Zone? existing, ProblemCollector problems)
    {
        Required(w.Name, "name", problems);
        Text(w.Name, "name", 200, problems);
        Text(w.NameEn, "name_en", 200, problems);
        RequiredEnum(w.Kind, "kind", problems);
        Required(w.RiskLevel, "risk_level", problems, "1 (low) to 4 (very high)");
        Range(w.RiskLevel, "risk_level", 1, 4, problems);
        Range(w.CoverageTarget, "coverage_target", 0, 1, problems);
        Code(w.District, "district", 32, problems);
    }

    public static void Apply(ZoneWrite w, Geometry geometry, Zone e)
    {
        e.Area = (MultiPolygon)geometry;
        e.Name = w.Name!;
        e.NameEn = w.NameEn;
        e.Kind = w.Kind!.Value;
        e.RiskLevel = w.RiskLevel!.Value;
        e.CoverageTarget = w.CoverageTarget ?? CoverageTargets.DefaultFor(e.Kind);
        e.District = w.District;
    }

    public static ZoneProperties ToProperties(Zone e) => new(
        e.Name, e.NameEn, e.Kind, e.RiskLevel, e.CoverageTarget, e.District, Math.Round(AreaM2(e.Area), 1),
        e.Version, e.CreatedAt, e.UpdatedAt);

    public static async Task PrepareAsync(SituationMapDb db, Zone e, ProblemCollector problems, CancellationToken ct) =>
        e.District = await DistrictLookup.ResolveAsync(db, e.District, e.Area, problems, ct);

    /// <summary>Area in m² in the UTM zone of the geometry.</summary>
    public static double AreaM2(Geometry wgs84) =>
        wgs84.IsEmpty ? 0 : MetricProjection.ForExtent(wgs84.EnvelopeInternal).ToMetric(wgs84).Area;
}
