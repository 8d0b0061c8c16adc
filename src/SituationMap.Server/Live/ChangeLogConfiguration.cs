using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SituationMap.Server.Live;

public sealed class ChangeLogConfiguration : IEntityTypeConfiguration<ChangeLogEntry>
{
    public void Configure(EntityTypeBuilder<ChangeLogEntry> e)
    {
        // written only by the trigger sm_log_change (Live/change_log.sql); the server reads it with plain SQL
        e.ToTable("change_log");
        e.HasKey(x => x.Seq);
        e.Property(x => x.Seq).ValueGeneratedNever();
        e.Property(x => x.CommittedAt).HasDefaultValueSql("now()");
        e.Property(x => x.Layer).HasMaxLength(32);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Row).HasColumnType("jsonb");
        e.HasIndex(x => x.CommittedAt).HasMethod("brin");
        e.HasIndex(x => new { x.Layer, x.FeatureId, x.Seq }); // feature history
    }
}
