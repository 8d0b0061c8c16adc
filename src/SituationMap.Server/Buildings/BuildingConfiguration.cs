using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SituationMap.Server.Buildings;

public sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> e)
    {
        e.ToTable("buildings", t =>
        {
            t.HasCheckConstraint("ck_buildings_kind", "kind IN ('residential', 'commercial', 'industrial', 'public', 'other')");
            t.HasCheckConstraint("ck_buildings_levels", "levels IS NULL OR levels BETWEEN 0 AND 200");
            t.HasCheckConstraint("ck_buildings_height", "height_m IS NULL OR (height_m > 0 AND height_m <= 1000)");
        });
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Ref).HasMaxLength(100);
        e.Property(x => x.Source).HasMaxLength(100);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.District).HasMaxLength(32);
        e.Property(x => x.Geometry).HasColumnName("geom").HasColumnType("geometry(MultiPolygon,4326)");
        e.HasIndex(x => x.Geometry).HasMethod("gist");
        e.HasIndex(x => new { x.Source, x.Ref }).IsUnique();
    }
}
