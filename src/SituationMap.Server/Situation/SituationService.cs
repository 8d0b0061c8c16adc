using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Situation;

/// <summary>Counters for the situation panel (Situation/counters.sql) and the snapshots behind "since the shift start".</summary>
public sealed class SituationService(NpgsqlDataSource dataSource, IOptions<SituationOptions> options, TimeProvider clock)
{
    private static readonly string CountersSql = SqlResource.Read("Situation/counters.sql");
    private static readonly string SnapshotSql = SqlResource.Read("Situation/take_snapshot.sql");
    private static readonly string CountersAtSql = SqlResource.Read("Situation/counters_at.sql");

    public async Task<SituationSummary> SummaryAsync(DateTimeOffset? shiftStart, Accounts.UserScope scope, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var start = shiftStart ?? options.Value.CurrentShiftStart(now);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(CountersSql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = start, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(Districts(scope));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var seq = r.GetInt64(0);
        var open = OpenIncidents.Of(r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4));
        var reported = r.GetInt32(5);
        var units = new UnitCounts(r.GetInt32(6), r.GetInt32(7), r.GetInt32(8));
        var cameras = new CameraCounts(r.GetInt32(9), r.GetInt32(10), r.GetInt32(11));
        await r.DisposeAsync();
        var then = await SnapshotAtAsync(connection, start, scope, ct);
        if (then is not null)
        {
            return new SituationSummary(now, start, seq,
                new IncidentCounters(open, OpenIncidents.Of(then.OpenSeverity1, then.OpenSeverity2, then.OpenSeverity3, then.OpenSeverity4), reported),
                new Counted<UnitCounts>(units, new UnitCounts(then.UnitsAvailable, then.UnitsBusy, then.UnitsOffDuty)),
                new Counted<CameraCounts>(cameras, new CameraCounts(then.CamerasOnline, then.CamerasOffline, then.CamerasFault)),
                new SituationBaseline(SituationBaseline.Snapshot, SituationBaseline.Snapshot, SituationBaseline.Snapshot));
        }
        // no snapshot of the shift start (the server was not running then): rebuild what the history can tell
        (OpenIncidents? Incidents, UnitCounts? Units, CameraCounts? Cameras)? rebuilt = start <= now ? await CountersAtAsync(connection, start, scope, ct) : null;
        static string Source(bool known) => known ? SituationBaseline.History : SituationBaseline.None;
        return new SituationSummary(now, start, seq,
            new IncidentCounters(open, rebuilt?.Incidents, reported),
            new Counted<UnitCounts>(units, rebuilt?.Units),
            new Counted<CameraCounts>(cameras, rebuilt?.Cameras),
            new SituationBaseline(Source(rebuilt?.Incidents is not null), Source(rebuilt?.Units is not null), Source(rebuilt?.Cameras is not null)));
    }

    /// <summary>The counters at a past time rebuilt from the audit trail and the camera status history
    /// (Situation/counters_at.sql); a counter whose layer was bulk-loaded or imported since then is null.</summary>
    internal static async Task<(OpenIncidents? Incidents, UnitCounts? Units, CameraCounts? Cameras)> CountersAtAsync(
        NpgsqlConnection connection, DateTimeOffset at, Accounts.UserScope scope, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(CountersAtSql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(Districts(scope));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (
            r.GetBoolean(0) ? OpenIncidents.Of(r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4)) : null,
            r.GetBoolean(5) ? new UnitCounts(r.GetInt32(6), r.GetInt32(7), r.GetInt32(8)) : null,
            r.GetBoolean(9) ? new CameraCounts(r.GetInt32(10), r.GetInt32(11), r.GetInt32(12)) : null);
    }

    public async Task TakeSnapshotAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(SnapshotSql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Districts(Accounts.UserScope scope) =>
        new() { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    /// <summary>The counters of the last slot at most 15 minutes before <paramref name="at"/> (the scope's districts
    /// summed, or the whole city), or null.</summary>
    private static async Task<SituationSnapshot?> SnapshotAtAsync(NpgsqlConnection connection, DateTimeOffset at, Accounts.UserScope scope, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT sum(open_severity1)::int, sum(open_severity2)::int, sum(open_severity3)::int, sum(open_severity4)::int, " +
            "sum(units_available)::int, sum(units_busy)::int, sum(units_off_duty)::int, " +
            "sum(cameras_online)::int, sum(cameras_offline)::int, sum(cameras_fault)::int, count(*) FROM situation_snapshots " +
            "WHERE taken_at = (SELECT max(taken_at) FROM situation_snapshots WHERE taken_at <= $1 AND taken_at > $1 - interval '15 minutes') " +
            "AND (($2::text[] IS NULL AND district = '*') OR district = ANY ($2))", connection);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(Districts(scope));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || r.GetInt64(10) == 0) return null;
        return new SituationSnapshot
        {
            OpenSeverity1 = r.GetInt32(0),
            OpenSeverity2 = r.GetInt32(1),
            OpenSeverity3 = r.GetInt32(2),
            OpenSeverity4 = r.GetInt32(3),
            UnitsAvailable = r.GetInt32(4),
            UnitsBusy = r.GetInt32(5),
            UnitsOffDuty = r.GetInt32(6),
            CamerasOnline = r.GetInt32(7),
            CamerasOffline = r.GetInt32(8),
            CamerasFault = r.GetInt32(9),
        };
    }
}

/// <summary>Takes a snapshot at start-up and every five minutes.</summary>
public sealed class SituationSnapshots(SituationService situation, Cluster.ClusterLeadership leadership, ILogger<SituationSnapshots> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5));
        do
        {
            try
            {
                if (!await leadership.IsLeaderAfterStartAsync(stoppingToken)) continue; // once per cluster
                await situation.TakeSnapshotAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not take a situation snapshot; retrying at the next slot.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
