using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Patrols;

/// <summary>
/// AVL position ingest: validates a whole batch first (nothing is written if any report is bad), then appends the
/// track points and moves the units in one transaction (Patrols/ingest_positions.sql). O(batch) work, one round trip.
/// </summary>
public static class PositionIngest
{
    public const int MaxBatch = 10_000;

    public static async Task<(PositionBatchResult? Result, IResult? Problem)> IngestAsync(
        SituationMapDb db, PositionBatch batch, Accounts.UserScope scope, AuditActor? actor, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var reports = batch.Positions;
        if (reports is null || reports.Count == 0) problems.Add("/positions", "must be a non-empty array of position reports.");
        else if (reports.Count > MaxBatch) problems.Add("/positions", $"has {reports.Count} reports; at most {MaxBatch} per request.");
        if (problems.Any) return (null, problems.ToResult());

        var unitIds = await ResolveUnitsAsync(db, reports!, scope, problems, ct);
        for (var i = 0; i < reports!.Count && !problems.IsFull; i++) Check(reports[i], $"/positions/{i}", problems);
        if (problems.Any) return (null, problems.ToResult());

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await AuditContext.ApplyAsync(connection, tx, actor, ct: ct);
            await AuditContext.RecordAsync(connection, tx, "ingest_positions", "patrol_units", null,
                new { positions = reports.Count, units = unitIds.Distinct().Count() }, ct);
            // lock the batch's units in id order first: concurrent batches for overlapping units then queue instead
            // of deadlocking (the UPDATE below would lock them in join order)
            await using (var lockUnits = new NpgsqlCommand("SELECT id FROM patrol_units WHERE id = ANY($1) ORDER BY id FOR UPDATE", connection, tx))
            {
                lockUnits.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = unitIds.Distinct().ToArray() });
                await lockUnits.ExecuteNonQueryAsync(ct);
            }
            await using var cmd = new NpgsqlCommand(SqlResource.Read("Patrols/ingest_positions.sql"), connection, tx);
            cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = unitIds });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = reports.Select(r => r.RecordedAt!.Value.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            cmd.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = reports.Select(r => r.Longitude!.Value).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = reports.Select(r => r.Latitude!.Value).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<double?[]> { TypedValue = reports.Select(r => r.SpeedMps).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            cmd.Parameters.Add(new NpgsqlParameter<double?[]> { TypedValue = reports.Select(r => r.HeadingDeg).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            var moved = (int)(await cmd.ExecuteScalarAsync(ct))!;
            var txid = await ChangeSeq.TransactionIdAsync(connection, tx, ct);
            await tx.CommitAsync(ct);
            var seq = await ChangeSeq.OfTransactionAsync(connection, txid, ct);
            return (new PositionBatchResult(reports.Count, moved, seq), null);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<long[]> ResolveUnitsAsync(SituationMapDb db, List<PositionReport> reports, Accounts.UserScope scope, ProblemCollector problems, CancellationToken ct)
    {
        var ids = reports.Where(r => r?.UnitId is not null).Select(r => r.UnitId!.Value).Distinct().ToArray();
        var callSigns = reports.Where(r => r?.UnitId is null && r?.CallSign is not null).Select(r => r.CallSign!).Distinct().ToArray();
        var known = await db.PatrolUnits.AsNoTracking()
            .Where(u => ids.Contains(u.Id) || callSigns.Contains(u.CallSign))
            .Select(u => new { u.Id, u.CallSign, u.District })
            .ToListAsync(ct);
        known.RemoveAll(u => !scope.Allows(u.District)); // units outside the account's districts do not exist for it
        var byId = known.Select(u => u.Id).ToHashSet();
        var byCallSign = known.ToDictionary(u => u.CallSign, u => u.Id, StringComparer.Ordinal);
        var result = new long[reports.Count];
        for (var i = 0; i < reports.Count && !problems.IsFull; i++)
        {
            var r = reports[i];
            var at = $"/positions/{i}";
            if (r is null) problems.Add(at, "must be a position report object.");
            else if (r.UnitId is { } id && r.CallSign is not null) problems.Add(at, "give unit_id or call_sign, not both.");
            else if (r.UnitId is { } id2) { if (byId.Contains(id2)) result[i] = id2; else problems.Add(at + "/unit_id", $"there is no patrol unit {id2}."); }
            else if (r.CallSign is { } cs) { if (byCallSign.TryGetValue(cs, out var id3)) result[i] = id3; else problems.Add(at + "/call_sign", $"there is no patrol unit '{(cs.Length > 64 ? cs[..64] + "…" : cs)}'."); }
            else problems.Add(at, "names no unit: give unit_id or call_sign.");
        }
        return result;
    }

    private static void Check(PositionReport? r, string at, ProblemCollector problems)
    {
        if (r is null) return;
        if (r.RecordedAt is not { } t) problems.Add(at + "/recorded_at", "is required (ISO 8601 with an offset).");
        else if (t > DateTimeOffset.UtcNow.AddMinutes(5)) problems.Add(at + "/recorded_at", "lies in the future (more than 5 minutes of clock skew).");
        if (r.Longitude is not { } lon) problems.Add(at + "/longitude", "is required.");
        else if (!double.IsFinite(lon) || lon is < -180 or > 180) problems.Add(at + "/longitude", "must be within [-180, 180].");
        if (r.Latitude is not { } lat) problems.Add(at + "/latitude", "is required.");
        else if (!double.IsFinite(lat) || lat is < -90 or > 90) problems.Add(at + "/latitude", "must be within [-90, 90].");
        if (r.SpeedMps is { } s && (!double.IsFinite(s) || s is < 0 or > 100)) problems.Add(at + "/speed_mps", "must be within [0, 100] m/s.");
        if (r.HeadingDeg is { } h && (!double.IsFinite(h) || h is < 0 or >= 360)) problems.Add(at + "/heading_deg", "must be within [0, 360).");
    }
}
