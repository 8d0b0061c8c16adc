using Microsoft.EntityFrameworkCore;

namespace SituationMap.Server.Infrastructure.Database;

/// <summary>The live change-log position (see Live/change_log.sql).</summary>
public static class ChangeSeq
{
    /// <summary>Response header: on a write, the sequence number of the change it produced; on a list, the snapshot's position.</summary>
    public const string Header = "X-Change-Seq";

    /// <summary>The last sequence number visible to the current transaction (inside a writing transaction: its own).</summary>
    public static Task<long> CurrentAsync(SituationMapDb db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<long>("SELECT seq AS \"Value\" FROM change_log_head").SingleAsync(ct);
}
