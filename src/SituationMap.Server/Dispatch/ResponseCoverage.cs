using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;
using SituationMap.Server.Accounts;
using SituationMap.Server.Routing;

namespace SituationMap.Server.Dispatch;

/// <summary>One response band: what some available unit reaches by road within <paramref name="Seconds"/>
/// (WGS84 polygons), its area and the share of the districts' area it covers.</summary>
public sealed record ResponseBand(double Seconds, Geometry? Area, double AreaKm2);

/// <summary>A district's (or the whole area's, district "*") figures per band: shares of its area, of its residential
/// zones (the population proxy) and of its incidents of the last <c>incident_days</c> days inside the band.</summary>
public sealed record DistrictResponseShares(string District, string? Name, string? NameEn, double AreaKm2, double ResidentialKm2, int Incidents,
    IReadOnlyList<BandShare> Bands);

public sealed record BandShare(double Seconds, double AreaShare, double? ResidentialShare, double? IncidentShare);

/// <summary>GET /api/response-coverage.</summary>
public sealed record ResponseCoverageResponse(DateTimeOffset ComputedAt, int Units, int IncidentDays, IReadOnlyList<ResponseBand> Bands,
    DistrictResponseShares Total, IReadOnlyList<DistrictResponseShares> Districts);

/// <summary>
/// The "1-3-5 minute rapid response circles" measured on the road network: for every available unit with a position
/// (within the account's districts), the isochrones of its mode (vehicles drive, foot and bicycle teams walk/ride) from
/// where it is now, unioned per band; then per district the share of its area, of its residential-community zones and of
/// its incidents of the last 30 days inside each band. A band's polygon is <see cref="Isochrones"/>' (reachable road
/// pieces buffered by 50 m, traced on a 10 m grid, all modes on one grid), so "covered" means within 50 m (± 7.5 m) of a
/// road reached in time; the polygons sent to the map are traced on a 25 m grid (a lighter outline). Area shares are
/// counted on a lattice of <see cref="AreaSampleM"/> (districts) and <see cref="ZoneSampleM"/> (residential zones,
/// area-weighted over the zones) point-in-polygon tests against the bands; incidents are tested one by one. Results are cached for
/// <see cref="MaxAge"/> per band set and scope, so a wall of dashboards polling while units move costs one computation
/// every few seconds.
/// </summary>
public sealed class ResponseCoverage(NpgsqlDataSource dataSource, RoadNetwork network, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    /// <summary>Grid cell of the polygons sent to the map, metres (± 19 m; the shares use the 10 m grid).</summary>
    public const double DisplayCellM = 25;

    public const int IncidentDays = 30;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, ResponseCoverageResponse> _cache = new(StringComparer.Ordinal);

    public async Task<ResponseCoverageResponse> ComputeAsync(IReadOnlyList<double> bands, UserScope scope, CancellationToken ct)
    {
        var key = string.Join(',', bands) + "|" + string.Join(',', scope.DistrictArray ?? ["*"]);
        await _lock.WaitAsync(ct);
        try
        {
            if (_cache.TryGetValue(key, out var cached) && clock.GetUtcNow() - cached.ComputedAt < MaxAge) return cached;
            var result = await BuildAsync(bands, scope, ct);
            if (_cache.Count > 64) _cache.Clear();
            _cache[key] = result;
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<ResponseCoverageResponse> BuildAsync(IReadOnlyList<double> bands, UserScope scope, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var districts = scope.DistrictArray is null ? null : (object)scope.DistrictArray;
        var units = new List<(PatrolMode Mode, Point Position)>();
        await using (var cmd = dataSource.CreateCommand("SELECT mode, geom FROM patrol_units WHERE status = 'available' AND geom IS NOT NULL AND ($1::text[] IS NULL OR district = ANY ($1))"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = districts ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) units.Add((WireNames.Parse<PatrolMode>(r.GetString(0)), r.GetFieldValue<Point>(1)));
        }
        var snapshot = await network.GetAsync(ct);
        var emptyBands = bands.Select(b => new ResponseBand(b, null, 0)).ToList();
        if (snapshot is null)
        {
            return new ResponseCoverageResponse(now, units.Count, IncidentDays, emptyBands, Empty("*", bands), []);
        }
        var projection = snapshot.Projection;
        var factory = projection.Factory;

        // the bands: one search per mode, all traced from one grid (their union without an overlay)
        var groups = units.GroupBy(u => u.Mode.ToTravelMode())
            .Select(g => (g.Key, (IReadOnlyList<RoadPosition>)[.. g.Select(u => snapshot.Snap(u.Position, g.Key)).OfType<RoadPosition>()]))
            .Where(g => g.Item2.Count > 0).ToList();
        var areas = groups.Count == 0 ? new Geometry?[bands.Count]
            : Isochrones.Compute(snapshot.Graph, groups, bands).Select(r => r.Area is { IsEmpty: false } a ? a : null).ToArray();
        // what the map draws: the same bands traced on a coarser grid (a quarter of the vertices, no simplification needed)
        var display = groups.Count == 0 ? new Geometry?[bands.Count]
            : Isochrones.Compute(snapshot.Graph, groups, bands, cellM: DisplayCellM).Select(r => r.Area is { IsEmpty: false } a ? a : null).ToArray();

        // what they cover, per district
        var districtRows = new List<(string Code, string Name, string? NameEn, Geometry Area)>();
        await using (var cmd = dataSource.CreateCommand("SELECT code, name, name_en, geom FROM districts WHERE ($1::text[] IS NULL OR code = ANY ($1)) ORDER BY code"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = districts ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) districtRows.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), projection.ToMetric(r.GetFieldValue<Geometry>(3))));
        }
        var residential = new Dictionary<string, List<Geometry>>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand("SELECT district, geom FROM zones WHERE kind = 'residential_community' AND district IS NOT NULL AND ($1::text[] IS NULL OR district = ANY ($1))"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = districts ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var code = r.GetString(0);
                if (!residential.TryGetValue(code, out var list)) residential[code] = list = [];
                list.Add(projection.ToMetric(r.GetFieldValue<Geometry>(1)));
            }
        }
        var incidents = new Dictionary<string, List<Coordinate>>(StringComparer.Ordinal);
        await using (var cmd = dataSource.CreateCommand("SELECT district, geom FROM incidents WHERE occurred_at >= $2 AND district IS NOT NULL AND ($1::text[] IS NULL OR district = ANY ($1))"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = districts ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.AddDays(-IncidentDays) });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var code = r.GetString(0);
                if (!incidents.TryGetValue(code, out var list)) incidents[code] = list = [];
                var p = r.GetFieldValue<Point>(1);
                list.Add(projection.ToMetric(p.X, p.Y));
            }
        }
        var locators = areas.Select(a => a is null ? null : new IndexedPointInAreaLocator(a)).ToArray();
        // the band a metric point lies in (index), or bands.Count when in none: bands are nested, so test the largest first
        int BandOf(Coordinate c)
        {
            var band = bands.Count;
            for (var b = bands.Count - 1; b >= 0; b--)
            {
                if (locators[b] is not { } locator || locator.Locate(c) == Location.Exterior) break;
                band = b;
            }
            return band;
        }
        var rows = new List<DistrictResponseShares>();
        var totals = new (double Area, double Residential, int Incidents)[bands.Count];
        var (totalArea, totalResidential, totalIncidents) = (0.0, 0.0, 0);
        foreach (var (code, name, nameEn, area) in districtRows)
        {
            var zones = residential.TryGetValue(code, out var z) ? z : [];
            var areaIn = Sample([area], AreaSampleM, BandOf, bands.Count);
            var homesIn = Sample(zones, ZoneSampleM, BandOf, bands.Count);
            var homesArea = zones.Sum(g => g.Area);
            var points = incidents.TryGetValue(code, out var list) ? list : [];
            var incidentsIn = new int[bands.Count + 1];
            foreach (var c in points) incidentsIn[BandOf(c)]++;
            var shares = new List<BandShare>(bands.Count);
            for (var b = 0; b < bands.Count; b++)
            {
                // nested bands: what lies within band b is everything in bands 0..b
                var (covered, coveredHomes, inside) = (Within(areaIn, b) * area.Area, Within(homesIn, b) * homesArea, incidentsIn[..(b + 1)].Sum());
                totals[b] = (totals[b].Area + covered, totals[b].Residential + coveredHomes, totals[b].Incidents + inside);
                shares.Add(new BandShare(bands[b], Share(covered, area.Area), zones.Count == 0 ? null : Share(coveredHomes, homesArea),
                    points.Count == 0 ? null : Share(inside, points.Count)));
            }
            totalArea += area.Area;
            totalResidential += homesArea;
            totalIncidents += points.Count;
            rows.Add(new DistrictResponseShares(code, name, nameEn, Km2(area.Area), Km2(homesArea), points.Count, shares));
        }
        var total = new DistrictResponseShares("*", null, null, Km2(totalArea), Km2(totalResidential), totalIncidents,
            [.. bands.Select((s, b) => new BandShare(s, Share(totals[b].Area, totalArea), totalResidential > 0 ? Share(totals[b].Residential, totalResidential) : null,
                totalIncidents > 0 ? Share(totals[b].Incidents, totalIncidents) : null))]);
        var wgs84Bands = bands.Select((s, b) => new ResponseBand(s, display[b] is { } a ? Wgs84MultiPolygon(projection, a) : null, Km2(areas[b]?.Area ?? 0))).ToList();
        return new ResponseCoverageResponse(now, units.Count, IncidentDays, wgs84Bands, total, rows);
    }

    /// <summary>Lattice spacing for the share of a district's area in each band, metres (the share is exact to about a percent).</summary>
    public const double AreaSampleM = 100;

    /// <summary>Lattice spacing for the share of residential zones (small polygons) in each band, metres.</summary>
    public const double ZoneSampleM = 10;

    /// <summary>
    /// Counts of lattice points (spacing <paramref name="spacing"/>, cell centres) inside the polygons per band index
    /// (the last entry: in no band). A polygon smaller than one lattice cell still counts its interior point.
    /// </summary>
    private static int[] Sample(IReadOnlyList<Geometry> polygons, double spacing, Func<Coordinate, int> bandOf, int bandCount)
    {
        var counts = new int[bandCount + 1];
        foreach (var polygon in polygons)
        {
            var inside = new IndexedPointInAreaLocator(polygon);
            var e = polygon.EnvelopeInternal;
            var any = false;
            for (var y = e.MinY + (spacing / 2); y < e.MaxY; y += spacing)
            {
                for (var x = e.MinX + (spacing / 2); x < e.MaxX; x += spacing)
                {
                    var c = new Coordinate(x, y);
                    if (inside.Locate(c) == Location.Exterior) continue;
                    counts[bandOf(c)]++;
                    any = true;
                }
            }
            if (!any && !polygon.IsEmpty) counts[bandOf(polygon.InteriorPoint.Coordinate)]++;
        }
        return counts;
    }

    /// <summary>The fraction of the sampled points that lie within band <paramref name="band"/> (bands 0..band).</summary>
    private static double Within(int[] counts, int band)
    {
        var all = counts.Sum();
        return all == 0 ? 0 : (double)counts[..(band + 1)].Sum() / all;
    }

    private static DistrictResponseShares Empty(string code, IReadOnlyList<double> bands) =>
        new(code, null, null, 0, 0, 0, [.. bands.Select(b => new BandShare(b, 0, null, null))]);

    private static double Share(double part, double whole) => whole > 0 ? Math.Round(Math.Min(1, part / whole), 4) : 0;

    private static double Km2(double m2) => Math.Round(m2 / 1e6, 3);

    /// <summary>
    /// Always a MultiPolygon in WGS84 for drawing: the grid outline's stairs smoothed (Douglas-Peucker, one cell, without
    /// the costly topology repair — a map fills it all the same), coordinates rounded to 6 decimals (0.1 m).
    /// </summary>
    private static MultiPolygon Wgs84MultiPolygon(Analysis.Geometry.MetricProjection projection, Geometry metric)
    {
        var smooth = new NetTopologySuite.Simplify.DouglasPeuckerSimplifier(metric) { DistanceTolerance = DisplayCellM, EnsureValidTopology = false }.GetResultGeometry();
        var g = projection.ToWgs84(smooth);
        foreach (var c in g.Coordinates)
        {
            c.X = Math.Round(c.X, 6);
            c.Y = Math.Round(c.Y, 6);
        }
        g.GeometryChanged();
        var multi = g as MultiPolygon ?? g.Factory.CreateMultiPolygon([.. Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>()]);
        multi.SRID = 4326;
        return multi;
    }
}
