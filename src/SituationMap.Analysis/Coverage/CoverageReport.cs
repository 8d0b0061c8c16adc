using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Coverage;

/// <summary>
/// How much of each zone the camera views cover, in a projected metric CRS (areas in m²): per zone the covered area, the
/// fraction, the shortfall against the zone's target, the blind spot (zone minus the union of the views) and the share of
/// the given incidents inside the zone that fall in the views; then area-weighted aggregates per zone kind, per district
/// (zones without a district are left out of <see cref="ByDistrict"/>) and in total, and the zones below target sorted by
/// shortfall (largest first, then by id).
/// <para>
/// Per zone, only the views whose envelope meets the zone's (an STR-tree query) are unioned (OverlayNG cascaded union
/// with its snapping fallbacks; on failure the inputs are repaired and overlaid on a 1 mm grid, see the robust overlay
/// helper), and the blind spot is the zone minus that union; covered = zone area − blind-spot area. Invalid zone polygons
/// and views are repaired first (GeometryFixer). A view that overlaps two zones counts in both; overlapping views count once. A
/// point on a view's or zone's boundary is inside.
/// </para>
/// <para>
/// <b>Cost:</b> O(V log V) to index V views, then per zone the cascaded union of its vᶻ relevant views,
/// O(n log n) in their n vertices, one difference, and O(iᶻ log) point-in-polygon tests for its iᶻ incidents. Zones are
/// measured in parallel.
/// </para>
/// </summary>
public sealed class CoverageReport
{
    private CoverageReport(IReadOnlyList<ZoneCoverage> zones)
    {
        Zones = zones;
        Total = CoverageAggregate.Of(zones);
        ByKind = zones.GroupBy(z => z.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => CoverageAggregate.Of(g));
        ByDistrict = zones.Where(z => z.District is not null).GroupBy(z => z.District!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => CoverageAggregate.Of(g), StringComparer.Ordinal);
        BelowTarget = [.. zones.Where(z => z.BelowTarget).OrderByDescending(z => z.Shortfall).ThenBy(z => z.Id, StringComparer.Ordinal)];
    }

    /// <summary>Per zone, in the order the zones were given.</summary>
    public IReadOnlyList<ZoneCoverage> Zones { get; }

    public CoverageAggregate Total { get; }

    public IReadOnlyDictionary<ZoneKind, CoverageAggregate> ByKind { get; }

    public IReadOnlyDictionary<string, CoverageAggregate> ByDistrict { get; }

    /// <summary>Zones whose covered fraction is below their target, largest shortfall first.</summary>
    public IReadOnlyList<ZoneCoverage> BelowTarget { get; }

    /// <summary>The report for the given zones, views (metric polygons; empty ones are ignored) and incident points.</summary>
    public static CoverageReport Compute(IReadOnlyList<CoverageZone> zones, IReadOnlyList<NetTopologySuite.Geometries.Geometry> views,
        IReadOnlyList<Coordinate>? incidents = null)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(views);
        var repaired = new NetTopologySuite.Geometries.Geometry?[views.Count];
        Parallel.For(0, views.Count, i => repaired[i] = views[i] is { IsEmpty: false } v ? Repaired(v) : null);
        var index = new STRtree<NetTopologySuite.Geometries.Geometry>();
        foreach (var view in repaired)
        {
            if (view is not null && !view.IsEmpty) index.Insert(view.EnvelopeInternal, view);
        }
        index.Build();
        foreach (var zone in zones) zone.Validate();
        var incidentIndex = IndexIncidents(incidents);
        var results = new ZoneCoverage[zones.Count];
        Parallel.For(0, zones.Count, i =>
        {
            var zone = zones[i];
            var area = Repaired(zone.Area);
            var candidates = index.Query(area.EnvelopeInternal);
            results[i] = Measure(zone, area, candidates, IncidentsIn(area, incidentIndex));
        });
        return new CoverageReport(results);
    }

    /// <summary>Aggregates over per-zone results computed elsewhere (e.g. by <see cref="IncrementalCoverage"/>).</summary>
    public static CoverageReport FromZones(IReadOnlyList<ZoneCoverage> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return new CoverageReport([.. zones]);
    }

    /// <summary>The geometry itself when valid, else its repair (GeometryFixer, the modern buffer(0)), polygons only.</summary>
    internal static NetTopologySuite.Geometries.Geometry Repaired(NetTopologySuite.Geometries.Geometry area) =>
        area.IsValid ? area : RobustOverlay.Polygonal(GeometryFixer.Fix(area), area.Factory);

    internal static STRtree<Coordinate>? IndexIncidents(IReadOnlyList<Coordinate>? incidents)
    {
        if (incidents is null || incidents.Count == 0) return null;
        var tree = new STRtree<Coordinate>();
        foreach (var c in incidents) tree.Insert(new Envelope(c), c);
        tree.Build();
        return tree;
    }

    internal static Coordinate[] IncidentsIn(NetTopologySuite.Geometries.Geometry area, STRtree<Coordinate>? incidents)
    {
        if (incidents is null || area.IsEmpty) return [];
        var candidates = incidents.Query(area.EnvelopeInternal);
        if (candidates.Count == 0) return [];
        var locator = new IndexedPointInAreaLocator(area);
        return [.. candidates.Where(c => locator.Locate(c) != Location.Exterior)];
    }

    /// <summary>One zone against the candidate views (filtered here by envelope); <paramref name="area"/> is the zone's
    /// valid polygon.</summary>
    internal static ZoneCoverage Measure(CoverageZone zone, NetTopologySuite.Geometries.Geometry area,
        IEnumerable<NetTopologySuite.Geometries.Geometry> candidates, Coordinate[] zoneIncidents)
    {
        var envelope = area.EnvelopeInternal;
        var relevant = candidates.Where(v => !v.IsEmpty && v.EnvelopeInternal.Intersects(envelope)).ToList();
        var zoneArea = area.Area;
        if (relevant.Count == 0 || zoneArea == 0)
        {
            return new ZoneCoverage(zone.Id, zone.Kind, zone.District, zone.TargetFraction, zoneArea, 0, area, zoneIncidents.Length, 0, relevant.Count);
        }
        var union = RobustOverlay.Union(relevant, area.Factory);
        var blind = RobustOverlay.Difference(area, union);
        var covered = Math.Clamp(zoneArea - blind.Area, 0, zoneArea);
        var incidentsCovered = 0;
        if (zoneIncidents.Length > 0)
        {
            var locator = new IndexedPointInAreaLocator(union);
            foreach (var c in zoneIncidents)
            {
                if (locator.Locate(c) != Location.Exterior) incidentsCovered++;
            }
        }
        return new ZoneCoverage(zone.Id, zone.Kind, zone.District, zone.TargetFraction, zoneArea, covered, blind, zoneIncidents.Length, incidentsCovered, relevant.Count);
    }
}
