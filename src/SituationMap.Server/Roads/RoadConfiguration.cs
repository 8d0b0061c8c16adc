using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SituationMap.Server.Roads;

public sealed class RoadConfiguration : IEntityTypeConfiguration<Road>
{
    public void Configure(EntityTypeBuilder<Road> e)
    {
        e.ToTable("roads");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.NameEn).HasMaxLength(200);
        e.Property(x => x.Class).HasMaxLength(32);
        e.Property(x => x.Geometry).HasColumnName("geom").HasColumnType("geometry(LineString,4326)");
        e.HasIndex(x => x.Geometry).HasMethod("gist");
        e.HasIndex(x => x.Class);
    }
}
