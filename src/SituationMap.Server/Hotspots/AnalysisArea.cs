using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using Npgsql;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// Where hotspot statistics are computed: the union of the districts (those of the account's scope, or all), in the
/// metric projection of the districts' centre (UTM). Statistics need a fixed study area, so cells outside every district
/// are left out. Loaded per request from the districts table (small).
/// </summary>
public sealed record AnalysisArea(MetricProjection Projection, Geometry Metric, IPreparedGeometry Prepared, IReadOnlyList<(string Code, string Name, string? NameEn, Geometry Metric)> Districts)
{
    public Envelope Extent => Metric.EnvelopeInternal;

    public static async Task<AnalysisArea?> LoadAsync(NpgsqlDataSource dataSource, string[]? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT code, name, name_en, geom FROM districts WHERE $1::text[] IS NULL OR code = ANY ($1) ORDER BY code");
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)scope ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        var rows = new List<(string, string, string?, Geometry)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) rows.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<Geometry>(3)));
        }
        if (rows.Count == 0) return null;
        var extent = new Envelope();
        foreach (var row in rows) extent.ExpandToInclude(row.Item4.EnvelopeInternal);
        var projection = MetricProjection.ForExtent(extent);
        var districts = rows.Select(r => (r.Item1, r.Item2, r.Item3, (Geometry)projection.ToMetric(r.Item4))).ToList();
        var union = NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(districts.Select(d => d.Item4).ToList());
        return new AnalysisArea(projection, union, PreparedGeometryFactory.Prepare(union), districts);
    }

    /// <summary>Whether a metric point lies in the area (prepared geometry: O(log vertices)).</summary>
    public bool Contains(Coordinate metric) => Prepared.Intersects(Projection.Factory.CreatePoint(metric));
}
