using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SituationMap.Server.Incidents;
using SituationMap.Server.Patrols;

namespace SituationMap.Server.Dispatch;

/// <summary>
/// One assignment of a unit to an incident: when, by whom, the ETA and road distance computed at that moment, when the
/// unit arrived (incident on scene) and when it was released (incident resolved, closed, cancelled or recalled; unit
/// no longer busy). The record of response times; rows are never deleted with the unit or incident.
/// </summary>
public sealed class DispatchRecord
{
    public long Id { get; set; }

    public long IncidentId { get; set; }

    public long UnitId { get; set; }

    public DateTimeOffset AssignedAt { get; set; }

    /// <summary>Who assigned (account user name, or job).</summary>
    public string Actor { get; set; } = "";

    public double? EtaSeconds { get; set; }

    public double? DistanceM { get; set; }

    public DateTimeOffset? ArrivedAt { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }
}

public sealed class DispatchRecordConfiguration : IEntityTypeConfiguration<DispatchRecord>
{
    public void Configure(EntityTypeBuilder<DispatchRecord> e)
    {
        e.ToTable("dispatches");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Actor).HasMaxLength(200);
        e.Property(x => x.AssignedAt).HasDefaultValueSql("now()");
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<PatrolUnit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.IncidentId);
        e.HasIndex(x => new { x.UnitId, x.AssignedAt });
    }
}
