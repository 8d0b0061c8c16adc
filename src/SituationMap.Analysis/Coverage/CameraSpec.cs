using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Coverage;

/// <summary>
/// One camera as coverage planning sees it. Everything is in a projected metric CRS (metres; project WGS84 data with
/// <see cref="Geometry.MetricProjection"/> first). <see cref="HeadingDeg"/> is the centre of the view in compass degrees:
/// 0° = north (+y), 90° = east (+x), clockwise. A fixed camera sees the sector heading ± FOV/2; a PTZ or dome camera
/// sees the full circle unless <see cref="PresetHeadingsDeg"/> are given, and then the union of one FOV-wide sector per
/// preset heading. <see cref="PrivacyMasks"/> (metric polygons) are cut out of the view.
/// </summary>
public sealed record CameraSpec(
    Coordinate Position,
    double HeadingDeg,
    double FieldOfViewDeg,
    double RangeM,
    CameraKind Kind = CameraKind.Fixed,
    IReadOnlyList<double>? PresetHeadingsDeg = null,
    IReadOnlyList<NetTopologySuite.Geometries.Geometry>? PrivacyMasks = null,
    CameraStatus Status = CameraStatus.Online)
{
    /// <summary>The largest range accepted, metres.</summary>
    public const double MaxRangeM = 1000;

    /// <summary>Throws when a value is outside its range: FOV (0, 360], range (0, 1000], finite position and headings.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Position);
        if (!double.IsFinite(Position.X) || !double.IsFinite(Position.Y)) throw new ArgumentException("The camera position must be finite.", nameof(Position));
        if (!double.IsFinite(HeadingDeg)) throw new ArgumentOutOfRangeException(nameof(HeadingDeg), HeadingDeg, "The heading must be finite.");
        if (!(FieldOfViewDeg > 0 && FieldOfViewDeg <= 360)) throw new ArgumentOutOfRangeException(nameof(FieldOfViewDeg), FieldOfViewDeg, "The field of view is (0, 360] degrees.");
        if (!(RangeM > 0 && RangeM <= MaxRangeM)) throw new ArgumentOutOfRangeException(nameof(RangeM), RangeM, "The range is (0, 1000] metres.");
        if (PresetHeadingsDeg is not null && PresetHeadingsDeg.Any(h => !double.IsFinite(h)))
        {
            throw new ArgumentOutOfRangeException(nameof(PresetHeadingsDeg), "Preset headings must be finite.");
        }
    }

    /// <summary>The sectors this camera sweeps as (heading, FOV) pairs: one for a fixed camera, one full circle for a
    /// PTZ/dome camera without presets, one per preset otherwise.</summary>
    public IReadOnlyList<(double HeadingDeg, double FieldOfViewDeg)> Sectors()
    {
        if (Kind == CameraKind.Fixed) return [(HeadingDeg, FieldOfViewDeg)];
        if (PresetHeadingsDeg is null || PresetHeadingsDeg.Count == 0) return [(0, 360)];
        return [.. PresetHeadingsDeg.Select(h => (h, FieldOfViewDeg))];
    }

    /// <summary>Only online cameras cover anything; offline and faulty ones contribute an empty view.</summary>
    public bool IsOperational => Status == CameraStatus.Online;
}
