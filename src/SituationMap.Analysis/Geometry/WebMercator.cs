namespace SituationMap.Analysis.Geometry;

/// <summary>
/// EPSG:3857 (WGS 84 / Pseudo-Mercator): the spherical Mercator of web tiles, on a sphere of radius a = 6,378,137 m
/// fed with WGS84 latitudes (so not conformal on the ellipsoid — that is the definition, and what PROJ computes).
/// Degrees ↔ metres, O(1).
/// </summary>
internal static class WebMercator
{
    private const double Radius = 6378137;
    private const double Deg = Math.PI / 180;

    public static (double, double) FromWgs84(double lon, double lat) =>
        (Radius * lon * Deg, Radius * Math.Log(Math.Tan((Math.PI / 4) + (lat * Deg / 2))));

    public static (double, double) ToWgs84(double x, double y) =>
        (x / Radius / Deg, ((2 * Math.Atan(Math.Exp(y / Radius))) - (Math.PI / 2)) / Deg);
}
