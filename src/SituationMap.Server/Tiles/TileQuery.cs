using Npgsql;
using NpgsqlTypes;

namespace SituationMap.Server.Tiles;

/// <summary>A validated tile request.</summary>
public sealed record TileRequest(int Z, int X, int Y, DateTimeOffset? From = null, DateTimeOffset? To = null, string[]? Categories = null, string[]? Districts = null);

/// <summary>Runs a tile layer's SQL with typed parameters; the bytes are the MVT (empty when nothing is in the tile).</summary>
public sealed class TileQuery(NpgsqlDataSource dataSource)
{
    public async Task<byte[]> RenderAsync(TileLayer layer, TileRequest r, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(layer.Sql);
        AddParameters(cmd, r);
        return await cmd.ExecuteScalarAsync(ct) as byte[] ?? [];
    }

    public static void AddParameters(NpgsqlCommand cmd, TileRequest r)
    {
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = r.Z, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = r.X, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = r.Y, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)r.From?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)r.To?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Categories ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Districts ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }
}
