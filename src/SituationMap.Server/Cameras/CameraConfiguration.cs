using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Cameras;

public sealed class CameraConfiguration : IEntityTypeConfiguration<Camera>
{
    public void Configure(EntityTypeBuilder<Camera> e)
    {
        e.ConfigureLayer("cameras");
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Location).HasColumnName("geom").HasColumnType("geometry(Point,4326)");
        e.Property(x => x.Kind).HasWireName();
        e.Property(x => x.Status).HasWireName();
        e.Property(x => x.PrivacyMasks).HasColumnType("geometry(MultiPolygon,4326)");
        e.Property(x => x.PresetHeadingsDeg).HasColumnType("double precision[]");
        // sm_camera_view is defined in Cameras/camera_view.sql and camera_view_presets.sql (applied by the migrations
        // before the column uses it)
        e.Property(x => x.ViewSector).HasColumnType("geometry(MultiPolygon,4326)")
            .HasComputedColumnSql("sm_camera_view(geom, kind, heading_deg, field_of_view_deg, range_m, privacy_masks, preset_headings_deg)", stored: true);
        e.Property(x => x.OwnerUnit).HasMaxLength(200);
        e.Property(x => x.District).HasMaxLength(32);
        e.HasWireNameCheck<Camera, CameraKind>("kind");
        e.HasWireNameCheck<Camera, CameraStatus>("status");
        e.HasCheck("heading_deg", "heading_deg >= 0 AND heading_deg < 360");
        e.HasCheck("field_of_view_deg", "field_of_view_deg > 0 AND field_of_view_deg <= 360");
        e.HasCheck("range_m", "range_m > 0 AND range_m <= 1000");
        e.HasCheck("preset_headings_deg", "preset_headings_deg IS NULL OR (kind <> 'fixed' AND cardinality(preset_headings_deg) BETWEEN 1 AND 32 " +
            "AND 0 <= ALL (preset_headings_deg) AND 360 > ALL (preset_headings_deg))");
        e.HasCheck("mounting_height_m", "mounting_height_m >= 0 AND mounting_height_m <= 300");
        e.HasCheck("geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
        e.HasCheck("privacy_masks", "privacy_masks IS NULL OR ST_IsValid(privacy_masks)");
        e.HasIndex(x => x.Location).HasMethod("gist");
        e.HasIndex(x => x.ViewSector).HasMethod("gist");
        e.HasIndex(x => x.PrivacyMasks).HasMethod("gist");
        e.HasIndex(x => x.District);
        e.Property(x => x.Source).HasMaxLength(64);
        e.Property(x => x.ExternalId).HasMaxLength(128);
        e.HasIndex(x => new { x.Source, x.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
    }
}
