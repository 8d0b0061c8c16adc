using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Live;

/// <summary>Reads the change log (Live/change_log_after.sql) and turns rows into shareable events.</summary>
public sealed class ChangeLogReader(NpgsqlDataSource dataSource)
{
    private static readonly string AfterSql = SqlResource.Read("Live/change_log_after.sql");
    private static readonly string HistorySql = SqlResource.Read("Live/feature_history.sql");

    /// <summary>The newest sequence number and the oldest one still retained (replay cannot go further back).</summary>
    public async Task<(long Head, long OldestRetained)> PositionAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT (SELECT seq FROM change_log_head), COALESCE((SELECT min(seq) FROM change_log), (SELECT seq FROM change_log_head) + 1)");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>A feature's recent changes, newest first (Live/feature_history.sql).</summary>
    public async Task<List<LiveChange>> HistoryAsync(string layer, long featureId, int max, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(HistorySql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = layer, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = featureId, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max, NpgsqlDbType = NpgsqlDbType.Integer });
        var changes = new List<LiveChange>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) changes.Add(ReadRow(reader).Change);
        return changes;
    }

    public async Task<List<ChangeEvent>> ReadAfterAsync(long after, int max, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ReadAfterAsync(connection, after, max, ct);
    }

    public static async Task<List<ChangeEvent>> ReadAfterAsync(NpgsqlConnection connection, long after, int max, CancellationToken ct)
    {
        await using var cmd = AfterCommand(connection, after, max);
        var events = new List<ChangeEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) events.Add(ReadRow(reader));
        return events;
    }

    /// <summary>The synchronous read, for the change feed's dedicated thread.</summary>
    public static List<ChangeEvent> ReadAfter(NpgsqlConnection connection, long after, int max)
    {
        using var cmd = AfterCommand(connection, after, max);
        var events = new List<ChangeEvent>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) events.Add(ReadRow(reader));
        return events;
    }

    private static NpgsqlCommand AfterCommand(NpgsqlConnection connection, long after, int max)
    {
        var cmd = new NpgsqlCommand(AfterSql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max, NpgsqlDbType = NpgsqlDbType.Integer });
        return cmd;
    }

    private static ChangeEvent ReadRow(NpgsqlDataReader reader)
    {
        var layer = reader.GetString(2);
        var kind = reader.GetString(3);
        var rowJson = reader.IsDBNull(10) ? null : reader.GetString(10);
        var bounds = reader.IsDBNull(6) ? null
            : new Envelope(reader.GetDouble(6), reader.GetDouble(8), reader.GetDouble(7), reader.GetDouble(9));
        var change = new LiveChange(reader.GetInt64(0), layer, kind, reader.GetInt64(4), reader.GetFieldValue<DateTimeOffset>(1),
            kind == "deleted" ? null : LiveEvents.FeatureOf(layer, rowJson));
        var districts = reader.GetFieldValue<string?[]>(5);
        return new ChangeEvent(change, bounds, districts.Length > 0 ? districts[0] : null, districts.Length > 1 ? districts[1] : null);
    }
}
