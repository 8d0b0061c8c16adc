using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Coverage;

/// <summary>A zone whose video coverage is measured: a metric (multi)polygon, its kind, its target as a fraction of its
/// area in [0, 1] (see <see cref="CoverageTargets"/>) and, optionally, its district.</summary>
public sealed record CoverageZone(string Id, NetTopologySuite.Geometries.Geometry Area, ZoneKind Kind, double TargetFraction, string? District = null)
{
    /// <summary>A zone with its kind's default target (<see cref="CoverageTargets.DefaultFor"/>; 0 when the kind has none).</summary>
    public static CoverageZone WithDefaultTarget(string id, NetTopologySuite.Geometries.Geometry area, ZoneKind kind, string? district = null) =>
        new(id, area, kind, CoverageTargets.DefaultFor(kind) ?? 0, district);

    internal void Validate()
    {
        if (Id is null) throw new ArgumentException("A zone needs an id.");
        if (Area is not (Polygon or MultiPolygon)) throw new ArgumentException($"Zone {Id} is a {Area?.GeometryType ?? "null"}, not a polygon.");
        if (!(TargetFraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(TargetFraction), TargetFraction, $"Zone {Id}: the target is a fraction in [0, 1].");
    }
}

/// <summary>
/// One zone's coverage. Areas in m². <see cref="CoveredFraction"/> = covered / zone area (0 for an empty zone);
/// <see cref="Shortfall"/> = max(0, target − fraction). <see cref="BlindSpot"/> is the zone minus the union of the views.
/// Incidents: those given that fall inside the zone (boundary included) and how many of them fall in the union of the views.
/// </summary>
public sealed record ZoneCoverage(
    string Id,
    ZoneKind Kind,
    string? District,
    double TargetFraction,
    double AreaM2,
    double CoveredM2,
    NetTopologySuite.Geometries.Geometry BlindSpot,
    int Incidents,
    int IncidentsCovered,
    int ViewCount)
{
    public double CoveredFraction => AreaM2 > 0 ? Math.Clamp(CoveredM2 / AreaM2, 0, 1) : 0;

    public double Shortfall => Math.Max(0, TargetFraction - CoveredFraction);

    public bool BelowTarget => CoveredFraction < TargetFraction;

    /// <summary>Share of the zone's incidents inside the views; null when the zone has none.</summary>
    public double? IncidentCoveredFraction => Incidents > 0 ? (double)IncidentsCovered / Incidents : null;
}

/// <summary>Area-weighted coverage of a group of zones: Σ covered / Σ area, and incident totals.</summary>
public sealed record CoverageAggregate(int Zones, double AreaM2, double CoveredM2, int Incidents, int IncidentsCovered, int ZonesBelowTarget)
{
    public double CoveredFraction => AreaM2 > 0 ? CoveredM2 / AreaM2 : 0;

    public double? IncidentCoveredFraction => Incidents > 0 ? (double)IncidentsCovered / Incidents : null;

    internal static CoverageAggregate Of(IEnumerable<ZoneCoverage> zones)
    {
        int n = 0, incidents = 0, covered = 0, below = 0;
        double area = 0, coveredArea = 0;
        foreach (var z in zones)
        {
            n++;
            area += z.AreaM2;
            coveredArea += z.CoveredM2;
            incidents += z.Incidents;
            covered += z.IncidentsCovered;
            if (z.BelowTarget) below++;
        }
        return new CoverageAggregate(n, area, coveredArea, incidents, covered, below);
    }
}
