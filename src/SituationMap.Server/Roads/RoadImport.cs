using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Routing;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Roads;

/// <summary>
/// Replaces the roads layer with the roads of an OpenStreetMap extract (<c>.osm.pbf</c>, <c>.osm</c> or
/// <c>.osm.bz2</c>): every <c>highway=*</c> way the routing profiles know, cut where ways share an OSM node, with its
/// class, name, car direction (<c>oneway=-1</c> ways are stored reversed, so one_way always means "in the direction of
/// the line") and <c>maxspeed</c> in km/h. One transaction, audited as a bulk load; the road network is rebuilt by the
/// server within <see cref="Routing.RoadNetwork.CheckInterval"/>. Access restrictions for single modes
/// (<c>foot=no</c>, <c>motor_vehicle=no</c>…) do not fit the roads layer's columns and are not kept; routing straight
/// from the file (<see cref="OsmRoadReader"/>) keeps them.
/// </summary>
public static class RoadImport
{
    public static async Task<int> ImportAsync(NpgsqlDataSource dataSource, string path, CancellationToken ct)
    {
        var (roads, projection) = OsmRoadReader.Read(path);
        var rows = roads.Select(r => Row(r, projection)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Audit.AuditContext.ApplyAsync(connection, tx, Audit.AuditActor.Current(null), ct: ct);
        await using (var delete = new NpgsqlCommand("DELETE FROM roads", connection, tx)) await delete.ExecuteNonQueryAsync(ct);
        await DemoDataLoader.CopyAsync(connection, "roads (name, class, one_way, max_speed_kmh, geom)", rows, async (w, r) =>
        {
            await w.WriteNullableAsync(r.Name, NpgsqlDbType.Varchar, ct);
            await w.WriteAsync(r.Class, NpgsqlDbType.Varchar, ct);
            await w.WriteAsync(r.OneWay, NpgsqlDbType.Boolean, ct);
            await w.WriteNullableAsync(r.MaxSpeedKmh, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(r.Geometry, "geometry", ct);
        }, ct);
        await Audit.AuditContext.RecordAsync(connection, tx, "import_roads", "roads", null, new { file = Path.GetFileName(path), roads = rows.Count }, ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private sealed record RoadRow(string? Name, string Class, bool OneWay, int? MaxSpeedKmh, NetTopologySuite.Geometries.LineString Geometry);

    private static RoadRow Row(RoadLine line, MetricProjection projection)
    {
        var direction = RoadProfile.ParseOneWay(TravelMode.Car, line);
        var coordinates = line.Coordinates.Select(c =>
        {
            var w = projection.ToWgs84(c.X, c.Y);
            return new NetTopologySuite.Geometries.Coordinate(Math.Round(w.X, 7), Math.Round(w.Y, 7));
        }).ToArray();
        if (direction == OneWayDirection.Backward) Array.Reverse(coordinates);
        var speed = RoadProfile.ParseMaxSpeedKmh(line.MaxSpeed);
        var name = line.Name is { Length: > 200 } n ? n[..200] : line.Name;
        return new RoadRow(name, line.Highway.Length > 32 ? line.Highway[..32] : line.Highway, direction != OneWayDirection.Both,
            speed is { } s ? (int)Math.Round(s) : null, Analysis.Geometry.Wgs84.Factory.CreateLineString(coordinates));
    }
}
