namespace SituationMap.Analysis.Geometry;

/// <summary>
/// The offset coordinate systems of Chinese web maps: <b>GCJ-02</b> ("Mars coordinates": Gaode/AMap, Tencent, Google
/// Maps in China) and <b>BD-09</b> (Baidu, a further offset of GCJ-02), to and from WGS84 (for this purpose the same as
/// CGCS2000). The forward formulas are the published ones (Krasovsky 1940 ellipsoid a = 6,378,245 m,
/// e² = 0.00669342162296594323; outside the mainland box 72.004–137.8347°E, 0.8293–55.8271°N GCJ-02 equals WGS84) and
/// reproduce the published test points to 10⁻⁹°. The inverses have no closed form: they are solved by fixed-point
/// iteration until the forward transform of the result is within 10⁻¹¹° (about a millimetre) of the input, so a round
/// trip is exact to that level — unlike the common one-step approximation, which is off by 1–2 m.
/// <para>Longitudes and latitudes in degrees. Cost: O(1); inverses take a handful of iterations.</para>
/// </summary>
public static class ChineseOffsets
{
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;
    private const double XPi = Math.PI * 3000.0 / 180.0;
    private const double Tolerance = 1e-11;

    /// <summary>Whether GCJ-02 applies here (inside the mainland box the published algorithm uses).</summary>
    public static bool InChina(double longitude, double latitude) =>
        longitude is >= 72.004 and <= 137.8347 && latitude is >= 0.8293 and <= 55.8271;

    public static (double Longitude, double Latitude) Wgs84ToGcj02(double longitude, double latitude)
    {
        if (!InChina(longitude, latitude)) return (longitude, latitude);
        var (dLon, dLat) = Offset(longitude, latitude);
        return (longitude + dLon, latitude + dLat);
    }

    public static (double Longitude, double Latitude) Gcj02ToWgs84(double longitude, double latitude) =>
        Invert(longitude, latitude, Wgs84ToGcj02);

    public static (double Longitude, double Latitude) Gcj02ToBd09(double longitude, double latitude)
    {
        var z = Math.Sqrt((longitude * longitude) + (latitude * latitude)) + (0.00002 * Math.Sin(latitude * XPi));
        var theta = Math.Atan2(latitude, longitude) + (0.000003 * Math.Cos(longitude * XPi));
        return ((z * Math.Cos(theta)) + 0.0065, (z * Math.Sin(theta)) + 0.006);
    }

    /// <summary>BD-09 → GCJ-02, exact (iterated from the published one-step inverse).</summary>
    public static (double Longitude, double Latitude) Bd09ToGcj02(double longitude, double latitude) =>
        Invert(longitude, latitude, Gcj02ToBd09, Bd09ToGcj02Approximate);

    public static (double Longitude, double Latitude) Wgs84ToBd09(double longitude, double latitude)
    {
        var (lon, lat) = Wgs84ToGcj02(longitude, latitude);
        return Gcj02ToBd09(lon, lat);
    }

    public static (double Longitude, double Latitude) Bd09ToWgs84(double longitude, double latitude)
    {
        var (lon, lat) = Bd09ToGcj02(longitude, latitude);
        return Gcj02ToWgs84(lon, lat);
    }

    /// <summary>The published one-step BD-09 → GCJ-02 (off by up to a few centimetres).</summary>
    public static (double Longitude, double Latitude) Bd09ToGcj02Approximate(double longitude, double latitude)
    {
        var (x, y) = (longitude - 0.0065, latitude - 0.006);
        var z = Math.Sqrt((x * x) + (y * y)) - (0.00002 * Math.Sin(y * XPi));
        var theta = Math.Atan2(y, x) - (0.000003 * Math.Cos(x * XPi));
        return (z * Math.Cos(theta), z * Math.Sin(theta));
    }

    /// <summary>Solves forward(p) = target: start from the first guess, then p ← p + (target − forward(p)).</summary>
    private static (double Longitude, double Latitude) Invert(double longitude, double latitude,
        Func<double, double, (double, double)> forward, Func<double, double, (double, double)>? guess = null)
    {
        var (lon, lat) = guess?.Invoke(longitude, latitude) ?? (longitude, latitude);
        if (guess is null)
        {
            var (fLon, fLat) = forward(lon, lat);
            (lon, lat) = (longitude - (fLon - longitude), latitude - (fLat - latitude));
        }
        for (var i = 0; i < 50; i++)
        {
            var (fLon, fLat) = forward(lon, lat);
            var (eLon, eLat) = (longitude - fLon, latitude - fLat);
            if (Math.Abs(eLon) < Tolerance && Math.Abs(eLat) < Tolerance) break;
            (lon, lat) = (lon + eLon, lat + eLat);
        }
        return (lon, lat);
    }

    private static (double DLon, double DLat) Offset(double longitude, double latitude)
    {
        var (x, y) = (longitude - 105.0, latitude - 35.0);
        var dLat = -100.0 + (2.0 * x) + (3.0 * y) + (0.2 * y * y) + (0.1 * x * y) + (0.2 * Math.Sqrt(Math.Abs(x)))
            + (((20.0 * Math.Sin(6.0 * x * Math.PI)) + (20.0 * Math.Sin(2.0 * x * Math.PI))) * 2.0 / 3.0)
            + (((20.0 * Math.Sin(y * Math.PI)) + (40.0 * Math.Sin(y / 3.0 * Math.PI))) * 2.0 / 3.0)
            + (((160.0 * Math.Sin(y / 12.0 * Math.PI)) + (320 * Math.Sin(y * Math.PI / 30.0))) * 2.0 / 3.0);
        var dLon = 300.0 + x + (2.0 * y) + (0.1 * x * x) + (0.1 * x * y) + (0.1 * Math.Sqrt(Math.Abs(x)))
            + (((20.0 * Math.Sin(6.0 * x * Math.PI)) + (20.0 * Math.Sin(2.0 * x * Math.PI))) * 2.0 / 3.0)
            + (((20.0 * Math.Sin(x * Math.PI)) + (40.0 * Math.Sin(x / 3.0 * Math.PI))) * 2.0 / 3.0)
            + (((150.0 * Math.Sin(x / 12.0 * Math.PI)) + (300.0 * Math.Sin(x / 30.0 * Math.PI))) * 2.0 / 3.0);
        var radLat = latitude / 180.0 * Math.PI;
        var magic = 1 - (Ee * Math.Sin(radLat) * Math.Sin(radLat));
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLon, dLat);
    }
}
