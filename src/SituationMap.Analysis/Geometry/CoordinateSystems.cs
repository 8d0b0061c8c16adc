using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SituationMap.Analysis.Geometry;

/// <summary>
/// The coordinate reference systems SituationMap knows, by code: WGS84 (EPSG:4326, OGC:CRS84), CGCS2000 (EPSG:4490),
/// Web Mercator (EPSG:3857, alias 900913), the 120 UTM zones (32601–32660, 32701–32760), the CGCS2000 Gauss-Krüger
/// zones (3° 4513–4554, 6° 4491–4512, with and without the zone prefix in the easting) and the Chinese web-map
/// offsets GCJ-02 and BD-09 (<see cref="ChineseOffsets"/>). Every projection is computed on one ellipsoid family with
/// no datum transformation (CGCS2000 = WGS84 numerically, as PROJ treats EPSG:4490 → 4326), Transverse Mercator by the
/// Krüger series (<see cref="TransverseMercator"/>), so results agree with PROJ / PostGIS ST_Transform to well under
/// a millimetre. Instances are created on first use and shared.
/// </summary>
public static partial class CrsRegistry
{
    private const string EpsgUri = "http://www.opengis.net/def/crs/EPSG/0/";
    private const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const double WgsA = 6378137, WgsInverseFlattening = 298.257223563;
    private const double GrsInverseFlattening = 298.257222101; // CGCS2000's ellipsoid (GRS80 up to 0.1 mm in b)

    private static readonly ConcurrentDictionary<int, Crs?> ByCode = new();

    public static Crs Wgs84 { get; } = Geographic(4326, "WGS 84", EpsgUri + "4326", northFirst: true);

    internal static Crs Crs84 { get; } = new("OGC:CRS84", "WGS 84 (CRS84)", true, Crs84Uri, false, 4326, Same, Same);

    internal static Crs Cgcs2000 { get; } = Geographic(4490, "China Geodetic Coordinate System 2000", EpsgUri + "4490", northFirst: true);

    internal static Crs Gcj02 { get; } = new("GCJ-02", "GCJ-02 (Chinese web map offset)", true, null, false, 0,
        (x, y) => ChineseOffsets.Gcj02ToWgs84(x, y), (lon, lat) => ChineseOffsets.Wgs84ToGcj02(lon, lat));

    internal static Crs Bd09 { get; } = new("BD-09", "BD-09 (Baidu map offset)", true, null, false, 0,
        (x, y) => ChineseOffsets.Bd09ToWgs84(x, y), (lon, lat) => ChineseOffsets.Wgs84ToBd09(lon, lat));

    /// <summary>What OGC API - Features offers for ?crs and ?bbox-crs: CRS84 (storage, first), 4326, 3857, 4490, 4547, then the UTM zones.</summary>
    public static IReadOnlyList<Crs> OgcCrs { get; } =
    [
        Crs84, Wgs84, FindEpsg(3857)!, Cgcs2000, FindEpsg(4547)!,
        .. Enumerable.Range(32601, 60).Concat(Enumerable.Range(32701, 60)).Select(code => FindEpsg(code)!),
    ];

    /// <summary>
    /// The CRS a code names: "EPSG:4326", "4326", "urn:ogc:def:crs:EPSG::4326", "http://www.opengis.net/def/crs/EPSG/0/4326",
    /// "CRS84" / "OGC:CRS84" / its URN or URI, "WGS84", "CGCS2000", "GCJ-02" / "GCJ02", "BD-09" / "BD09" (any case); null when unknown.
    /// </summary>
    public static Crs? Find(string code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var c = code.Trim();
        var match = EpsgCodePattern().Match(c);
        if (match.Success)
        {
            return int.TryParse(match.Groups["code"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var epsg) ? FindEpsg(epsg) : null;
        }
        if (Crs84Pattern().IsMatch(c)) return Crs84;
        return c.ToUpperInvariant().Replace("-", "").Replace("_", "").Replace(" ", "") switch
        {
            "WGS84" => Wgs84,
            "CGCS2000" => Cgcs2000,
            "GCJ02" => Gcj02,
            "BD09" => Bd09,
            _ => null,
        };
    }

    /// <summary>The CRS of an EPSG code, null when it is not one we support.</summary>
    internal static Crs? FindEpsg(int code) => code switch
    {
        4326 => Wgs84,
        4490 => Cgcs2000,
        900913 => FindEpsg(3857),
        _ => ByCode.GetOrAdd(code, Create),
    };

    private static Crs? Create(int code) => code switch
    {
        3857 => new Crs("EPSG:3857", "WGS 84 / Pseudo-Mercator", false, EpsgUri + "3857", false, 3857,
            WebMercator.ToWgs84, WebMercator.FromWgs84),
        >= 32601 and <= 32660 => Utm(code, code - 32600, north: true),
        >= 32701 and <= 32760 => Utm(code, code - 32700, north: false),
        >= 4534 and <= 4554 => GaussKruger(code, $"CGCS2000 / 3-degree Gauss-Kruger CM {75 + (3 * (code - 4534))}E", 75 + (3 * (code - 4534)), 500_000),
        >= 4513 and <= 4533 => GaussKruger(code, $"CGCS2000 / 3-degree Gauss-Kruger zone {25 + code - 4513}", 3 * (25 + code - 4513),
            ((25 + code - 4513) * 1_000_000) + 500_000),
        >= 4502 and <= 4512 => GaussKruger(code, $"CGCS2000 / Gauss-Kruger CM {75 + (6 * (code - 4502))}E", 75 + (6 * (code - 4502)), 500_000),
        >= 4491 and <= 4501 => GaussKruger(code, $"CGCS2000 / Gauss-Kruger zone {13 + code - 4491}", (6 * (13 + code - 4491)) - 3,
            ((13 + code - 4491) * 1_000_000) + 500_000),
        _ => null,
    };

    private static Crs Geographic(int code, string name, string uri, bool northFirst) =>
        new("EPSG:" + code.ToString(CultureInfo.InvariantCulture), name, true, uri, northFirst, code, Same, Same);

    private static Crs Utm(int code, int zone, bool north)
    {
        var tm = new TransverseMercator(WgsA, WgsInverseFlattening, (6 * zone) - 183, 0.9996, 500_000, north ? 0 : 10_000_000);
        return Projected(code, $"WGS 84 / UTM zone {zone}{(north ? 'N' : 'S')}", tm, northFirst: false);
    }

    private static Crs GaussKruger(int code, string name, int centralMeridian, double falseEasting) =>
        Projected(code, name, new TransverseMercator(WgsA, GrsInverseFlattening, centralMeridian, 1, falseEasting, 0), northFirst: true);

    private static Crs Projected(int code, string name, TransverseMercator tm, bool northFirst)
    {
        var id = code.ToString(CultureInfo.InvariantCulture);
        return new Crs("EPSG:" + id, name, false, EpsgUri + id, northFirst, code, tm.Inverse, tm.Forward);
    }

    private static (double, double) Same(double x, double y) => (x, y);

    [GeneratedRegex(@"^(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)?(?<code>[0-9]{1,9})$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCodePattern();

    [GeneratedRegex(@"^(?:OGC:|urn:ogc:def:crs:OGC:[0-9.]*:|https?://www\.opengis\.net/def/crs/OGC/[0-9.]+/)?CRS:?84$", RegexOptions.IgnoreCase)]
    private static partial Regex Crs84Pattern();
}
