using System.Text.Json;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Cameras;

/// <summary>
/// Camera properties as written. privacy_masks is a GeoJSON Polygon or MultiPolygon (WGS84) of areas the camera must
/// not record; kind ptz and dome may have field_of_view_deg 360, and preset_headings_deg (1–32 headings in [0, 360)):
/// they then see one field_of_view_deg-wide sector per preset, else the full circle. status defaults to online.
/// </summary>
public sealed record CameraWrite(
    string? Name,
    CameraKind? Kind,
    double? HeadingDeg,
    double? FieldOfViewDeg,
    double[]? PresetHeadingsDeg,
    double? RangeM,
    double? MountingHeightM,
    CameraStatus? Status,
    JsonElement? PrivacyMasks,
    DateTimeOffset? InstalledAt,
    string? OwnerUnit,
    string? District,
    int? Version) : IVersionedWrite;

/// <summary>Camera properties as served. view_sector is the field of view (fixed: the sector; ptz/dome: the full circle or
/// the preset sectors) minus the privacy masks (GeoJSON MultiPolygon), without occlusion.</summary>
public sealed record CameraProperties(
    string Name,
    CameraKind Kind,
    double HeadingDeg,
    double FieldOfViewDeg,
    double[]? PresetHeadingsDeg,
    double RangeM,
    double MountingHeightM,
    CameraStatus Status,
    NetTopologySuite.Geometries.MultiPolygon? PrivacyMasks,
    NetTopologySuite.Geometries.MultiPolygon? ViewSector,
    DateTimeOffset? InstalledAt,
    string? OwnerUnit,
    string? District,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>?kind, ?status, ?district (comma-separated lists), ?from, ?to (installed_at, ISO 8601; cameras without an
/// installation date match no window).</summary>
public sealed record CameraFilter(string? Kind, string? Status, string? District, string? From = null, string? To = null) : IListFilter<Camera>
{
    private TimeWindow _installed;
    private CameraKind[]? _kinds;
    private CameraStatus[]? _statuses;

    private string[]? _districts;

    public void Validate(ProblemCollector problems)
    {
        _districts = FilterValues.Codes(District, "district", problems);
        _kinds = FilterValues.Enums<CameraKind>(Kind, "kind", problems);
        _statuses = FilterValues.Enums<CameraStatus>(Status, "status", problems);
        _installed = FilterValues.TimeWindow(From, To, problems);
    }

    public IQueryable<Camera> Apply(IQueryable<Camera> q)
    {
        if (_kinds is { } k) q = q.Where(c => k.Contains(c.Kind));
        if (_statuses is { } s) q = q.Where(c => s.Contains(c.Status));
        if (_districts is { } d) q = q.Where(c => c.District != null && d.Contains(c.District));
        return _installed.Apply(q, c => c.InstalledAt);
    }
}
