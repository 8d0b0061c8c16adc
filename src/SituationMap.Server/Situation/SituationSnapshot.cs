using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SituationMap.Server.Situation;

/// <summary>The situation counters every five minutes (written by SituationSnapshots), so "change since the start of
/// the shift" can be answered later — per district (for district-scoped accounts) and for the whole city ("*").
/// One set of rows per five-minute slot, whichever server wrote it first.</summary>
public sealed class SituationSnapshot
{
    public DateTimeOffset TakenAt { get; set; }

    /// <summary>A district code, or "*" for the whole city.</summary>
    public string District { get; set; } = "*";

    public int OpenSeverity1 { get; set; }

    public int OpenSeverity2 { get; set; }

    public int OpenSeverity3 { get; set; }

    public int OpenSeverity4 { get; set; }

    public int UnitsAvailable { get; set; }

    public int UnitsBusy { get; set; }

    public int UnitsOffDuty { get; set; }

    public int CamerasOnline { get; set; }

    public int CamerasOffline { get; set; }

    public int CamerasFault { get; set; }
}

public sealed class SituationSnapshotConfiguration : IEntityTypeConfiguration<SituationSnapshot>
{
    public void Configure(EntityTypeBuilder<SituationSnapshot> e)
    {
        e.ToTable("situation_snapshots");
        e.HasKey(x => new { x.TakenAt, x.District });
        e.Property(x => x.District).HasMaxLength(32);
    }
}
