using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Coverage;
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
/// pieces buffered by 50 m), so "covered" means within 50 m of a road reached in time. Results are cached for
/// <see cref="MaxAge"/> per band set and scope, so a wall of dashboards polling while units move costs one computation
/// every few seconds.
/// </summary>
public sealed class ResponseCoverage(NpgsqlDataSource dataSource, RoadNetwork network, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

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

        // the bands: one multi-source isochrone per mode, unioned per band
        var perBand = bands.Select(_ => new List<Geometry>()).ToArray();
        foreach (var group in units.GroupBy(u => u.Mode.ToTravelMode()))
        {
            var sources = group.Select(u => snapshot.Snap(u.Position, group.Key)).OfType<RoadPosition>().ToList();
            if (sources.Count == 0) continue;
            var result = Isochrones.Compute(snapshot.Graph, group.Key, sources, bands);
            for (var b = 0; b < bands.Count; b++)
            {
                if (result.First(r => r.Seconds == bands[b]).Area is { IsEmpty: false } area) perBand[b].Add(area);
            }
        }
        var areas = perBand.Select(list => list.Count switch
        {
            0 => null,
            1 => list[0],
            _ => RobustOverlay.Union(list, factory),
        }).ToArray();

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
        var rows = new List<DistrictResponseShares>();
        var totals = new (double Area, double Residential, int Incidents)[bands.Count];
        var (totalArea, totalResidential, totalIncidents) = (0.0, 0.0, 0);
        foreach (var (code, name, nameEn, area) in districtRows)
        {
            var homes = residential.TryGetValue(code, out var zones) ? RobustOverlay.Intersection(RobustOverlay.Union(zones, factory), area) : null;
            var points = incidents.TryGetValue(code, out var list) ? list : [];
            var shares = new List<BandShare>(bands.Count);
            for (var b = 0; b < bands.Count; b++)
            {
                var covered = areas[b] is { } band ? RobustOverlay.Intersection(band, area).Area : 0;
                var coveredHomes = homes is null || areas[b] is null ? 0 : RobustOverlay.Intersection(areas[b]!, homes).Area;
                var inside = locators[b] is { } locator ? points.Count(c => locator.Locate(c) != Location.Exterior) : 0;
                totals[b] = (totals[b].Area + covered, totals[b].Residential + coveredHomes, totals[b].Incidents + inside);
                shares.Add(new BandShare(bands[b], Share(covered, area.Area), homes is null ? null : Share(coveredHomes, homes.Area),
                    points.Count == 0 ? null : Share(inside, points.Count)));
            }
            totalArea += area.Area;
            totalResidential += homes?.Area ?? 0;
            totalIncidents += points.Count;
            rows.Add(new DistrictResponseShares(code, name, nameEn, Km2(area.Area), Km2(homes?.Area ?? 0), points.Count, shares));
        }
        var total = new DistrictResponseShares("*", null, null, Km2(totalArea), Km2(totalResidential), totalIncidents,
            [.. bands.Select((s, b) => new BandShare(s, Share(totals[b].Area, totalArea), totalResidential > 0 ? Share(totals[b].Residential, totalResidential) : null,
                totalIncidents > 0 ? Share(totals[b].Incidents, totalIncidents) : null))]);
        var wgs84Bands = bands.Select((s, b) => new ResponseBand(s, areas[b] is { } a ? Rounded(projection.ToWgs84(a)) : null, Km2(areas[b]?.Area ?? 0))).ToList();
        return new ResponseCoverageResponse(now, units.Count, IncidentDays, wgs84Bands, total, rows);
    }

    private static DistrictResponseShares Empty(string code, IReadOnlyList<double> bands) =>
        new(code, null, null, 0, 0, 0, [.. bands.Select(b => new BandShare(b, 0, null, null))]);

    private static double Share(double part, double whole) => whole > 0 ? Math.Round(Math.Min(1, part / whole), 4) : 0;

    private static double Km2(double m2) => Math.Round(m2 / 1e6, 3);

    /// <summary>Always a MultiPolygon, coordinates rounded to 6 decimals (≈ 0.1 m) to keep the response small (kept valid).</summary>
    private static Geometry Rounded(Geometry g)
    {
        var reduced = NetTopologySuite.Precision.GeometryPrecisionReducer.Reduce(g, new PrecisionModel(1e6));
        var polygons = Enumerable.Range(0, reduced.NumGeometries).Select(reduced.GetGeometryN).OfType<Polygon>().ToArray();
        var multi = reduced.Factory.CreateMultiPolygon(polygons);
        multi.SRID = 4326;
        return multi;
    }
}
