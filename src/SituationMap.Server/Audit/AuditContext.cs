using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SituationMap.Server.Audit;

/// <summary>Who is acting: an account (from the request) or one of the server's own jobs.</summary>
public sealed record AuditActor(string Name, long? AccountId, string? ClientIp)
{
    private static readonly AsyncLocal<AuditActor?> Override = new();

    /// <summary>Makes the server's own work (demo activity, retention) audited as "system:&lt;job&gt;" on this async flow.</summary>
    public static IDisposable Job(string job)
    {
        var previous = Override.Value;
        Override.Value = new AuditActor("system:" + job, null, null);
        return new Restore(previous);
    }

    public static AuditActor? Current(HttpContext? http)
    {
        if (Override.Value is { } job) return job;
        if (http?.User.Identity?.IsAuthenticated != true) return http is null ? null : new AuditActor("anonymous", null, http.Connection.RemoteIpAddress?.ToString());
        var id = long.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var v) ? v : (long?)null;
        return new AuditActor(http.User.Identity.Name ?? "unknown", id, http.Connection.RemoteIpAddress?.ToString());
    }

    private sealed class Restore(AuditActor? previous) : IDisposable
    {
        public void Dispose() => Override.Value = previous;
    }
}

/// <summary>
/// Puts the acting user into the transaction (transaction-local settings read by the audit trigger, Audit/audit.sql),
/// so every change is attributed in the same transaction that makes it. EF Core transactions get it through
/// <see cref="AuditTransactionInterceptor"/>; hand-written SQL calls <see cref="ApplyAsync"/>.
/// </summary>
public static class AuditContext
{
    private const string Sql =
        "SELECT set_config('situationmap.actor', $1, true), set_config('situationmap.account_id', $2, true), " +
        "set_config('situationmap.client_ip', $3, true), set_config('situationmap.audit_detail', $4, true)";

    public static async Task ApplyAsync(DbConnection connection, DbTransaction? transaction, AuditActor? actor, object? detail = null, CancellationToken ct = default)
    {
        if (actor is null) return;
        await using var cmd = new NpgsqlCommand(Sql, (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        cmd.Parameters.AddWithValue(actor.Name);
        cmd.Parameters.AddWithValue(actor.AccountId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        cmd.Parameters.AddWithValue(actor.ClientIp ?? "");
        cmd.Parameters.AddWithValue(detail is null ? "" : JsonSerializer.Serialize(detail, Infrastructure.Json.ApiJson.Options));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>An audit row for an act that is not a row change (sign-in, export, batch ingest), in the current transaction.</summary>
    public static async Task RecordAsync(DbConnection connection, DbTransaction? transaction, string action, string? layer = null, long? featureId = null, object? detail = null, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("SELECT sm_audit($1, $2, $3, $4::jsonb)", (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        cmd.Parameters.AddWithValue(action);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)layer ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)featureId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = detail is null ? DBNull.Value : JsonSerializer.Serialize(detail, Infrastructure.Json.ApiJson.Options), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records an export (data leaving the system: the layer and what was asked for) in a transaction of its own,
    /// before the data is sent.</summary>
    public static async Task RecordExportAsync(DbContext db, string layer, object detail, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await RecordAsync(db, "export", layer, null, detail, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The same, for an EF Core context: uses its connection and current transaction.</summary>
    public static Task RecordAsync(DbContext db, string action, string? layer = null, long? featureId = null, object? detail = null, CancellationToken ct = default) =>
        RecordAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), action, layer, featureId, detail, ct);
}

/// <summary>Applies the acting user to every transaction EF Core starts (SaveChanges always runs in one).</summary>
public sealed class AuditTransactionInterceptor(IHttpContextAccessor http) : DbTransactionInterceptor
{
    public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        await AuditContext.ApplyAsync(connection, result, AuditActor.Current(http.HttpContext), ct: cancellationToken);
        return result;
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        AuditContext.ApplyAsync(connection, result, AuditActor.Current(http.HttpContext)).GetAwaiter().GetResult();
        return result;
    }
}
