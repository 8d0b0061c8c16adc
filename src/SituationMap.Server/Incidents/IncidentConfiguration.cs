using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Incidents;

public sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> e)
    {
        e.ConfigureLayer("incidents");
        e.Property(x => x.Location).HasColumnName("geom").HasColumnType("geometry(Point,4326)");
        e.Property(x => x.Category).HasWireName();
        e.Property(x => x.Status).HasWireName();
        e.Property(x => x.Source).HasMaxLength(64);
        e.Property(x => x.ExternalId).HasMaxLength(128);
        e.Property(x => x.Address).HasMaxLength(500);
        e.Property(x => x.District).HasMaxLength(32);
        e.Property(x => x.Description).HasMaxLength(4000);
        e.HasWireNameCheck<Incident, IncidentCategory>("category");
        e.HasWireNameCheck<Incident, IncidentStatus>("status");
        e.HasCheck("severity", "severity BETWEEN 1 AND 4");
        e.HasCheck("geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
        e.HasIndex(x => x.Location).HasMethod("gist");
        e.HasIndex(x => x.OccurredAt);
        e.HasIndex(x => x.ReportedAt);
        e.HasIndex(x => new { x.Status, x.OccurredAt });
        e.HasIndex(x => x.District);
        e.HasIndex(x => new { x.Source, x.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
    }
}
