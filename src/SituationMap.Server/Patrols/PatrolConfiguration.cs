using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Server.Patrols;

public sealed class PatrolRouteConfiguration : IEntityTypeConfiguration<PatrolRoute>
{
    public void Configure(EntityTypeBuilder<PatrolRoute> e)
    {
        e.ConfigureLayer("patrol_routes");
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Geometry).HasColumnName("geom").HasColumnType("geometry(MultiLineString,4326)");
        e.Property(x => x.Level).HasConversion<short>().HasColumnType("smallint");
        e.Property(x => x.Mode).HasWireName();
        e.Property(x => x.Status).HasWireName();
        e.Property(x => x.OwnerUnit).HasMaxLength(200);
        e.Property(x => x.District).HasMaxLength(32);
        // [{"start":"08:00","end":"20:00","days":[1,2,3,4,5]}]
        e.Property(x => x.ShiftWindows).HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, ApiJson.Options),
            s => JsonSerializer.Deserialize<List<ShiftWindow>>(s, ApiJson.Options) ?? new List<ShiftWindow>(),
            new ValueComparer<List<ShiftWindow>>(
                (a, b) => a!.SequenceEqual(b!),
                v => v.Aggregate(0, (h, w) => HashCode.Combine(h, w.Start, w.End)),
                v => v.ToList()));
        e.HasWireNameCheck<PatrolRoute, PatrolMode>("mode");
        e.HasWireNameCheck<PatrolRoute, PatrolRouteStatus>("status");
        e.HasCheck("level", "level BETWEEN 1 AND 3");
        e.HasCheck("geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
        e.HasIndex(x => x.Geometry).HasMethod("gist");
        e.HasIndex(x => x.Level);
    }
}

public sealed class PatrolUnitConfiguration : IEntityTypeConfiguration<PatrolUnit>
{
    public void Configure(EntityTypeBuilder<PatrolUnit> e)
    {
        e.ConfigureLayer("patrol_units");
        e.Property(x => x.CallSign).HasMaxLength(64);
        e.HasIndex(x => x.CallSign).IsUnique();
        e.Property(x => x.Position).HasColumnName("geom").HasColumnType("geometry(Point,4326)");
        e.Property(x => x.Level).HasConversion<short>().HasColumnType("smallint");
        e.Property(x => x.Mode).HasWireName();
        e.Property(x => x.Status).HasWireName();
        e.Property(x => x.District).HasMaxLength(32);
        e.HasWireNameCheck<PatrolUnit, PatrolMode>("mode");
        e.HasWireNameCheck<PatrolUnit, PatrolUnitStatus>("status");
        e.HasCheck("level", "level BETWEEN 1 AND 3");
        e.HasCheck("heading_deg", "heading_deg IS NULL OR (heading_deg >= 0 AND heading_deg < 360)");
        e.HasCheck("speed_mps", "speed_mps IS NULL OR (speed_mps >= 0 AND speed_mps <= 100)");
        e.HasIndex(x => x.Position).HasMethod("gist");
        e.HasOne<Incidents.Incident>().WithMany().HasForeignKey(x => x.AssignedIncidentId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<PatrolRoute>().WithMany().HasForeignKey(x => x.RouteId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class UnitPositionConfiguration : IEntityTypeConfiguration<UnitPosition>
{
    public void Configure(EntityTypeBuilder<UnitPosition> e)
    {
        e.ToTable("unit_positions");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Location).HasColumnName("geom").HasColumnType("geometry(Point,4326)");
        e.Property(x => x.ReceivedAt).HasDefaultValueSql("now()");
        e.HasOne<PatrolUnit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.UnitId, x.RecordedAt });
        e.HasIndex(x => x.RecordedAt).HasMethod("brin");
        e.HasIndex(x => x.Location).HasMethod("gist");
        e.HasCheck("heading_deg", "heading_deg IS NULL OR (heading_deg >= 0 AND heading_deg < 360)");
        e.HasCheck("speed_mps", "speed_mps IS NULL OR (speed_mps >= 0 AND speed_mps <= 100)");
    }
}
