using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Cameras;

public sealed class Camera : ILayerEntity, IExternallyKeyed
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    [JsonPropertyName("geom")]
    public Point Location { get; set; } = null!;

    public CameraKind Kind { get; set; }

    /// <summary>Degrees clockwise from north, [0, 360).</summary>
    public double HeadingDeg { get; set; }

    /// <summary>Horizontal field of view in degrees, (0, 360].</summary>
    public double FieldOfViewDeg { get; set; }

    /// <summary>PTZ and dome cameras: the headings of their preset positions (degrees clockwise from north, [0, 360));
    /// they see one FOV-wide sector per preset. Null: the full circle. Fixed cameras have none.</summary>
    public double[]? PresetHeadingsDeg { get; set; }

    /// <summary>Useful viewing distance in metres, (0, 1000].</summary>
    public double RangeM { get; set; }

    public double MountingHeightM { get; set; }

    public CameraStatus Status { get; set; }

    /// <summary>Areas the camera must not record (windows, private yards).</summary>
    public MultiPolygon? PrivacyMasks { get; set; }

    /// <summary>The field-of-view sector(s) minus the privacy masks; computed by PostgreSQL (sm_camera_view), read-only.</summary>
    public MultiPolygon? ViewSector { get; set; }

    public DateTimeOffset? InstalledAt { get; set; }

    public string? OwnerUnit { get; set; }

    public string? District { get; set; }

    /// <summary>The system the row came from ("api" for rows made in SituationMap, else the import's source).</summary>
    public string Source { get; set; } = "api";

    /// <summary>The row's id in <see cref="Source"/>; unique per source where set (imports update instead of duplicating).</summary>
    public string? ExternalId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
