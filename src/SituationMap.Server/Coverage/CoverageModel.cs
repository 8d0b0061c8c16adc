using System.Globalization;
using NetTopologySuite.Geometries;
using Npgsql;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Server.Coverage;

/// <summary>Coverage settings (section "Coverage").</summary>
public sealed class CoverageOptions
{
    /// <summary>Incident-weighted coverage and the recommendations' incident weighting use the incidents of this many days.</summary>
    public int IncidentDays { get; set; } = 30;

    /// <summary>The whole model is rebuilt this often when incidents changed (incident-weighted figures), and after zone changes.</summary>
    public TimeSpan RebuildInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest number of site × heading options one recommendation may evaluate.</summary>
    public int MaxOptions { get; set; } = 20_000;
}

/// <summary>A measured zone's identity (the coverage result is at the same index in <see cref="CoverageModel.Incremental"/>).</summary>
public sealed record ZoneInfo(long Id, string Name, string? NameEn, ZoneKind Kind, string? District, double Target);

/// <summary>A camera row as coverage reads it (<see cref="CoverageModel.CameraColumns"/>).</summary>
public sealed record CameraRow(long Id, string Name, CameraKind Kind, CameraStatus Status, string? District, Point Location, MultiPolygon? Masks,
    double Heading, double Fov, double Range, double[]? Presets);

/// <summary>A camera as coverage sees it: its row, its metric spec and its current view (metric; empty unless online).</summary>
public sealed record CameraInfo(CameraRow Row, CameraSpec Spec, Geometry View)
{
    public long Id => Row.Id;

    public string Name => Row.Name;

    public CameraKind Kind => Row.Kind;

    public CameraStatus Status => Row.Status;

    public string? District => Row.District;

    /// <summary>The camera's id as the incremental coverage knows it.</summary>
    public string Key => Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The rows' specs and occluded views (all cores).</summary>
    public static CameraInfo[] Of(IReadOnlyList<CameraRow> rows, MetricProjection projection, CameraViewshed viewshed)
    {
        var specs = rows.Select(c => CoverageModel.Spec(projection, c, c.Status)).ToArray();
        var views = viewshed.Views(specs);
        return [.. rows.Select((c, i) => new CameraInfo(c, specs[i], views[i]))];
    }
}

/// <summary>
/// The city's coverage in memory: every zone with a target, every camera's occluded view and the incremental coverage
/// over them, in the metric projection (UTM) of the zones' extent, with the buildings as obstacles. Built from the
/// database by <see cref="LoadAsync"/>; then changed camera by camera (<see cref="CoverageService"/> serialises it).
/// </summary>
public sealed class CoverageModel
{
    private CoverageModel(MetricProjection projection, CameraViewshed viewshed, ZoneInfo[] zones, Dictionary<long, CameraInfo> cameras,
        IncrementalCoverage incremental, Coordinate[] incidents, IReadOnlyDictionary<string, string> districtNames, int buildings)
    {
        Projection = projection;
        Viewshed = viewshed;
        Zones = zones;
        Cameras = cameras;
        Incremental = incremental;
        Incidents = incidents;
        DistrictNames = districtNames;
        Buildings = buildings;
        ZoneIndex = zones.Select((z, i) => (z.Id, i)).ToDictionary(x => x.Id, x => x.i);
    }

    public MetricProjection Projection { get; }

    /// <summary>Occlusion by every building footprint (metric).</summary>
    public CameraViewshed Viewshed { get; }

    public IReadOnlyList<ZoneInfo> Zones { get; }

    public IReadOnlyDictionary<long, int> ZoneIndex { get; }

    public Dictionary<long, CameraInfo> Cameras { get; }

    public IncrementalCoverage Incremental { get; }

    /// <summary>The last IncidentDays' incidents (metric).</summary>
    public IReadOnlyList<Coordinate> Incidents { get; }

    public IReadOnlyDictionary<string, string> DistrictNames { get; }

    public int Buildings { get; }

    public static async Task<CoverageModel?> LoadAsync(NpgsqlDataSource dataSource, CoverageOptions options, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct); // one snapshot

        var zoneRows = new List<(ZoneInfo Info, Geometry Area)>();
        await using (var cmd = new NpgsqlCommand("SELECT id, name, name_en, kind, district, coverage_target, geom FROM zones ORDER BY id", connection, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var kind = WireNames.Parse<ZoneKind>(r.GetString(3));
                var target = r.IsDBNull(5) ? CoverageTargets.DefaultFor(kind) : r.GetDouble(5);
                if (target is null) continue; // districts and other zones without a target are not measured
                zoneRows.Add((new ZoneInfo(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), kind,
                    r.IsDBNull(4) ? null : r.GetString(4), target.Value), r.GetFieldValue<Geometry>(6)));
            }
        }
        var extent = new Envelope();
        foreach (var (_, area) in zoneRows) extent.ExpandToInclude(area.EnvelopeInternal);
        if (extent.IsNull)
        {
            await using var cameraExtent = new NpgsqlCommand("SELECT ST_Extent(geom)::geometry FROM cameras", connection, tx);
            if (await cameraExtent.ExecuteScalarAsync(ct) is Geometry g && !g.IsEmpty) extent = g.EnvelopeInternal;
        }
        if (extent.IsNull) return null;
        var projection = MetricProjection.ForExtent(extent);

        var buildings = new List<Geometry>();
        await using (var cmd = new NpgsqlCommand("SELECT geom FROM buildings", connection, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) buildings.Add(projection.ToMetric(r.GetFieldValue<Geometry>(0)));
        }
        var viewshed = new CameraViewshed(buildings, projection.Factory);

        var cameras = new List<CameraRow>();
        await using (var cmd = new NpgsqlCommand(CameraColumns + " FROM cameras ORDER BY id", connection, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) cameras.Add(ReadCamera(r));
        }
        var cameraInfos = CameraInfo.Of(cameras, projection, viewshed).ToDictionary(c => c.Id);

        var incidents = new List<Coordinate>();
        await using (var cmd = new NpgsqlCommand("SELECT geom FROM incidents WHERE occurred_at >= now() - make_interval(days => $1)", connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.IncidentDays });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var p = r.GetFieldValue<Point>(0);
                incidents.Add(projection.ToMetric(p.X, p.Y));
            }
        }
        var districtNames = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("SELECT code, name FROM districts", connection, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) districtNames[r.GetString(0)] = r.GetString(1);
        }
        await tx.CommitAsync(ct);

        var zones = zoneRows.Select(z => new CoverageZone(z.Info.Id.ToString(CultureInfo.InvariantCulture), projection.ToMetric(z.Area), z.Info.Kind,
            z.Info.Target, z.Info.District)).ToArray();
        var incremental = new IncrementalCoverage(zones, cameraInfos.Values.Select(c => new KeyValuePair<string, Geometry?>(c.Key, c.View)), incidents);
        return new CoverageModel(projection, viewshed, [.. zoneRows.Select(z => z.Info)], cameraInfos, incremental, [.. incidents], districtNames, buildings.Count);
    }

    /// <summary>Re-reads the given cameras (one query) with their current views; deleted ones are missing from the result.</summary>
    public async Task<Dictionary<long, CameraInfo>> LoadCamerasAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(CameraColumns + " FROM cameras WHERE id = ANY ($1)");
        cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
        var rows = new List<CameraRow>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) rows.Add(ReadCamera(r));
        }
        return CameraInfo.Of(rows, Projection, Viewshed).ToDictionary(c => c.Id);
    }

    /// <summary>A camera's metric spec: position, heading, FOV, range, kind, presets, privacy masks, and the given status.</summary>
    public static CameraSpec Spec(MetricProjection projection, CameraRow c, CameraStatus status) =>
        new(projection.ToMetric(c.Location.X, c.Location.Y), c.Heading, c.Fov, c.Range, c.Kind, c.Presets,
            c.Masks is null || c.Masks.IsEmpty ? null : [projection.ToMetric<Geometry>(c.Masks)], status);

    public const string CameraColumns = "SELECT id, name, kind, status, district, geom, privacy_masks, heading_deg, field_of_view_deg, range_m, preset_headings_deg";

    public static CameraRow ReadCamera(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), WireNames.Parse<CameraKind>(r.GetString(2)), WireNames.Parse<CameraStatus>(r.GetString(3)),
            r.IsDBNull(4) ? null : r.GetString(4), r.GetFieldValue<Point>(5), r.IsDBNull(6) ? null : r.GetFieldValue<MultiPolygon>(6),
            r.GetDouble(7), r.GetDouble(8), r.GetDouble(9), r.IsDBNull(10) ? null : r.GetFieldValue<double[]>(10));
}
