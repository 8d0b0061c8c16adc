using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Districts;

public sealed class DistrictConfiguration : IEntityTypeConfiguration<District>
{
    public void Configure(EntityTypeBuilder<District> e)
    {
        e.ConfigureLayer("districts");
        e.Property(x => x.Code).HasMaxLength(32);
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.NameEn).HasMaxLength(200);
        e.Property(x => x.Area).HasColumnName("geom").HasColumnType("geometry(MultiPolygon,4326)");
        e.HasCheck("geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
        e.HasIndex(x => x.Area).HasMethod("gist");
    }
}
