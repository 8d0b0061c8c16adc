using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Geometry;

/// <summary>
/// Storage coordinates: EPSG:4326, x = longitude, y = latitude, degrees. One factory for the whole process.
/// </summary>
public static class Wgs84
{
    public const int Srid = 4326;

    public static readonly GeometryFactory Factory =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(PrecisionModels.Floating), Srid);

    public static Point Point(double longitude, double latitude) => Factory.CreatePoint(new Coordinate(longitude, latitude));
}
