using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SituationMap.Server.Audit;

/// <summary>
/// One audited act: who (actor, account, client address), when, what (action, layer, feature), the row before and
/// after for changes, and details (the query of an export, the count of a batch). Append-only: triggers refuse
/// UPDATE, DELETE and TRUNCATE for every database role (Audit/audit.sql).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The account's username, "system:&lt;job&gt;" for the server's own jobs, "sql:&lt;role&gt;" for direct SQL.</summary>
    public string Actor { get; set; } = "";

    public long? AccountId { get; set; }

    public string? ClientIp { get; set; }

    /// <summary>insert, update, delete (row changes); sign_in, sign_in_failed, locked_out, sign_out, token_created,
    /// token_revoked, account_created, account_updated, export, ingest_positions, retention_purge, bulk_load.</summary>
    public string Action { get; set; } = "";

    public string? Layer { get; set; }

    public long? FeatureId { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    public string? Detail { get; set; }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_log");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.At).HasDefaultValueSql("clock_timestamp()");
        e.Property(x => x.Actor).HasMaxLength(200);
        e.Property(x => x.ClientIp).HasMaxLength(64);
        e.Property(x => x.Action).HasMaxLength(64);
        e.Property(x => x.Layer).HasMaxLength(32);
        e.Property(x => x.Before).HasColumnType("jsonb");
        e.Property(x => x.After).HasColumnType("jsonb");
        e.Property(x => x.Detail).HasColumnType("jsonb");
        e.HasIndex(x => x.At).HasMethod("brin");
        e.HasIndex(x => new { x.Actor, x.At });
        e.HasIndex(x => new { x.Layer, x.FeatureId });
    }
}
