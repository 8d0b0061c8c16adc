using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Cameras;

/// <summary>What a camera's view looks like on a map: its sector(s) minus the privacy masks, with the camera's key facts.</summary>
public sealed record CameraViewProperties(
    string Name,
    CameraKind Kind,
    double HeadingDeg,
    double FieldOfViewDeg,
    double RangeM,
    CameraStatus Status,
    string? District,
    int Version,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The cameras seen as their view polygons (camera.view_sector, computed by PostgreSQL): the OGC API collection and
/// export "camera_views", so GIS clients get the coverage areas as polygons, filtered and scoped like the cameras
/// themselves (same rows, feature id = camera id, bbox on the view). Read-only: cameras are edited as cameras.
/// </summary>
public sealed class CameraViewLayer : IFeatureLayer<Camera, CameraWrite, CameraViewProperties>
{
    public static string Name => "camera_views";

    public static string Route => "cameras";

    public static string GeometryProperty => nameof(Camera.ViewSector);

    public static GeometryRule GeometryRule => GeometryRule.Areas;

    public static string DistrictProperty => CameraLayer.DistrictProperty;

    public static string WritePermission => CameraLayer.WritePermission;

    public static Geometry? GeometryOf(Camera e) => e.ViewSector;

    public static void Validate(CameraWrite write, Camera? existing, ProblemCollector problems) => CameraLayer.Validate(write, existing, problems);

    public static void Apply(CameraWrite write, Geometry geometry, Camera entity) => CameraLayer.Apply(write, geometry, entity);

    public static CameraViewProperties ToProperties(Camera e) =>
        new(e.Name, e.Kind, e.HeadingDeg, e.FieldOfViewDeg, e.RangeM, e.Status, e.District, e.Version, e.UpdatedAt);
}
