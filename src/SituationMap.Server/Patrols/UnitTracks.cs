using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;

namespace SituationMap.Server.Patrols;

/// <summary>Reads unit tracks for playback (Patrols/tracks.sql).</summary>
public static class UnitTracks
{
    private static readonly string Sql = SqlResource.Read("Patrols/tracks.sql");

    public static async Task<List<Feature<UnitTrackProperties>>> ReadAsync(
        NpgsqlDataSource dataSource, DateTimeOffset from, DateTimeOffset to, Envelope? bbox, Accounts.UserScope scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = bbox is null ? DBNull.Value : Wgs84.Factory.ToGeometry(bbox),
            DataTypeName = "geometry",
        });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var features = new List<Feature<UnitTrackProperties>>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var id = r.GetInt64(0);
            features.Add(new Feature<UnitTrackProperties>(id, r.GetFieldValue<LineString>(4), new UnitTrackProperties(
                id, r.GetString(1), (PatrolLevel)r.GetInt16(2), WireNames.Parse<PatrolMode>(r.GetString(3)), r.GetFieldValue<long[]>(5))));
        }
        return features;
    }
}
