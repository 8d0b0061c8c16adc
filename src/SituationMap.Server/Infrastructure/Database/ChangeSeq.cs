using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SituationMap.Server.Infrastructure.Database;

/// <summary>
/// The live change-log position (see Live/change_log.sql). The log's rows are written at COMMIT (deferred trigger), so
/// a writer learns the sequence number of its change after committing: it notes its transaction id inside the
/// transaction (<see cref="TransactionIdAsync(SituationMapDb, CancellationToken)"/>) and looks its rows up afterwards
/// (<see cref="OfTransactionAsync(SituationMapDb, long, CancellationToken)"/>). Neither holds the counter's lock.
/// </summary>
public static class ChangeSeq
{
    /// <summary>Response header: on a write, the sequence number of the change it produced; on a list, the snapshot's position.</summary>
    public const string Header = "X-Change-Seq";

    private const string TransactionIdSql = "SELECT pg_current_xact_id()::text::bigint";

    /// <summary>The last sequence number committed and visible to the current snapshot (a list's position).</summary>
    public static Task<long> CurrentAsync(SituationMapDb db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>("SELECT seq AS \"Value\" FROM change_log_head").SingleAsync(ct);

    /// <summary>The current transaction's id (assigns one if the transaction has not written yet).</summary>
    public static Task<long> TransactionIdAsync(SituationMapDb db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>(TransactionIdSql + " AS \"Value\"").SingleAsync(ct);

    public static async Task<long> TransactionIdAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(TransactionIdSql, connection, tx);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// After COMMIT: the last sequence number the committed transaction produced, or null when it logged no change
    /// (then there is no number that belongs to it: the head may be another transaction's, so none is reported).
    /// </summary>
    public static Task<long?> OfTransactionAsync(SituationMapDb db, long txid, CancellationToken ct) =>
        db.Database.SqlQueryRaw<long?>(OfTransactionSql, txid).SingleAsync(ct);

    public static async Task<long?> OfTransactionAsync(NpgsqlConnection connection, long txid, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(OfTransactionSql.Replace("{0}", "$1", StringComparison.Ordinal), connection);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = txid });
        return await cmd.ExecuteScalarAsync(ct) is long seq ? seq : null;
    }

    /// <summary>Sets <see cref="Header"/> to the write's sequence number; leaves it out when the write logged no change.</summary>
    public static void SetHeader(HttpResponse response, long? seq)
    {
        if (seq is { } s) response.Headers[Header] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string OfTransactionSql = "SELECT max(seq) AS \"Value\" FROM change_log WHERE txid = {0}";
}
