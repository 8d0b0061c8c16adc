using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Zones;

public sealed class ZoneConfiguration : IEntityTypeConfiguration<Zone>
{
    public void Configure(EntityTypeBuilder<Zone> e)
    {
        e.ConfigureLayer("zones");
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.NameEn).HasMaxLength(200);
        e.Property(x => x.Kind).HasWireName();
        e.Property(x => x.District).HasMaxLength(32);
        e.Property(x => x.Area).HasColumnName("geom").HasColumnType("geometry(MultiPolygon,4326)");
        e.HasWireNameCheck<Zone, ZoneKind>("kind");
        e.HasCheck("risk_level", "risk_level BETWEEN 1 AND 4");
        e.HasCheck("coverage_target", "coverage_target IS NULL OR (coverage_target >= 0 AND coverage_target <= 1)");
        e.HasCheck("geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
        e.HasIndex(x => x.Area).HasMethod("gist");
        e.HasIndex(x => x.Kind);
        e.Property(x => x.Source).HasMaxLength(64);
        e.Property(x => x.ExternalId).HasMaxLength(128);
        e.HasIndex(x => new { x.Source, x.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
    }
}
