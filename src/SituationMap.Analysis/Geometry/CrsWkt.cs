using System.Globalization;
using System.Text.RegularExpressions;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;
using ProjNet.IO.CoordinateSystems;

namespace SituationMap.Analysis.Geometry;

public static partial class CrsRegistry
{
    /// <summary>
    /// The CRS a WKT describes (a shapefile's .prj, a GeoPackage's srs definition; WKT1, ESRI WKT or WKT2): by the
    /// top-level AUTHORITY["EPSG", …] / ID["EPSG", …] when present; otherwise by its name, EPSG's or ESRI's
    /// (GCS_WGS_1984, WGS_1984_UTM_Zone_50N, GCS_China_Geodetic_Coordinate_System_2000, CGCS2000_3_Degree_GK_CM_114E,
    /// WGS_1984_Web_Mercator_Auxiliary_Sphere …) or its datum's; as a last resort any projected WKT ProjNet can parse
    /// becomes an ad-hoc CRS (Id "WKT:" + name) — Transverse Mercator in metres through <see cref="TransverseMercator"/>,
    /// other projections through ProjNet from the WKT's own geographic CRS, so its datum is taken as WGS84 (no shift).
    /// Null when the text names nothing usable.
    /// </summary>
    public static Crs? FromWkt(string wkt)
    {
        if (string.IsNullOrWhiteSpace(wkt)) return null;
        if (TopLevelEpsgCode(wkt) is { } code && FindEpsg(code) is { } byCode) return byCode;
        var header = WktHeader().Match(wkt);
        if (!header.Success) return null;
        if (FromName(header.Groups["name"].Value) is { } byName) return byName;
        try
        {
            return CoordinateSystemWktReader.Parse(wkt) switch
            {
                ProjectedCoordinateSystem projected => AdHoc(projected),
                GeographicCoordinateSystem geographic => FromName(geographic.HorizontalDatum?.Name ?? ""),
                _ => null,
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>The EPSG code of the outermost element (its direct AUTHORITY/ID child), ignoring those of nested elements.</summary>
    private static int? TopLevelEpsgCode(string wkt)
    {
        var depthAt = new int[wkt.Length];
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < wkt.Length; i++)
        {
            var ch = wkt[i];
            if (ch == '"') quoted = !quoted;
            else if (!quoted && ch is '[' or '(') depth++;
            else if (!quoted && ch is ']' or ')') depth--;
            depthAt[i] = depth;
        }
        foreach (Match m in EpsgAuthority().Matches(wkt))
        {
            if (depthAt[m.Index] == 1 && int.TryParse(m.Groups["code"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return code;
        }
        return null;
    }

    /// <summary>A registered CRS by an EPSG, ESRI or datum name (case, spaces and punctuation ignored).</summary>
    private static Crs? FromName(string name)
    {
        var n = NonAlphanumeric().Replace(name.ToLowerInvariant(), "");
        switch (n)
        {
            case "gcswgs1984" or "wgs84" or "wgs1984" or "dwgs1984" or "worldgeodeticsystem1984":
                return Wgs84;
            case "gcschinageodeticcoordinatesystem2000" or "chinageodeticcoordinatesystem2000" or "cgcs2000" or "gcscgcs2000" or "dchina2000" or "china2000":
                return Cgcs2000;
            case "wgs1984webmercatorauxiliarysphere" or "wgs1984webmercator" or "wgs84pseudomercator" or "wgs84webmercator" or "webmercator" or "googlemaps":
                return FindEpsg(3857);
        }
        if (UtmName().Match(n) is { Success: true } utm)
        {
            var zone = int.Parse(utm.Groups["zone"].Value, CultureInfo.InvariantCulture);
            return zone is >= 1 and <= 60 ? FindEpsg((utm.Groups["hemisphere"].Value == "n" ? 32600 : 32700) + zone) : null;
        }
        if (GaussKrugerName().Match(n) is not { Success: true } gk) return null;
        var threeDegree = gk.Groups["three"].Success;
        if (gk.Groups["cm"].Success)
        {
            var cm = int.Parse(gk.Groups["cm"].Value, CultureInfo.InvariantCulture);
            var step = threeDegree ? 3 : 6;
            if (cm is < 75 or > 135 || (cm - 75) % step != 0) return null;
            return FindEpsg((threeDegree ? 4534 : 4502) + ((cm - 75) / step));
        }
        var zoneNumber = int.Parse(gk.Groups["zone"].Value, CultureInfo.InvariantCulture);
        return threeDegree
            ? zoneNumber is >= 25 and <= 45 ? FindEpsg(4513 + zoneNumber - 25) : null
            : zoneNumber is >= 13 and <= 23 ? FindEpsg(4491 + zoneNumber - 13) : null;
    }

    private static Crs? AdHoc(ProjectedCoordinateSystem projected)
    {
        var geographic = projected.GeographicCoordinateSystem;
        var projection = projected.Projection;
        if (geographic is null || projection is null) return null;
        var id = "WKT:" + projected.Name;
        var className = NonAlphanumeric().Replace(projection.ClassName.ToLowerInvariant(), "");
        if (className is "transversemercator" or "gausskruger" && projected.LinearUnit.MetersPerUnit == 1
            && geographic.PrimeMeridian.Longitude == 0 && geographic.AngularUnit.RadiansPerUnit == Math.PI / 180)
        {
            double Parameter(string name, double fallback) => projection.GetParameter(name)?.Value ?? fallback;
            var ellipsoid = geographic.HorizontalDatum.Ellipsoid;
            var tm = new TransverseMercator(ellipsoid.SemiMajorAxis, ellipsoid.InverseFlattening, Parameter("central_meridian", 0),
                Parameter("scale_factor", 1), Parameter("false_easting", 0), Parameter("false_northing", 0), Parameter("latitude_of_origin", 0));
            return new Crs(id, projected.Name, false, null, false, 0, tm.Inverse, tm.Forward);
        }
        var forward = new CoordinateTransformationFactory().CreateFromCoordinateSystems(geographic, projected).MathTransform;
        var inverse = forward.Inverse();
        return new Crs(id, projected.Name, false, null, false, 0, (x, y) => inverse.Transform(x, y), (lon, lat) => forward.Transform(lon, lat));
    }

    [GeneratedRegex(@"^\s*(?<keyword>[A-Za-z_0-9]+)\s*[\[(]\s*""(?<name>[^""]*)""")]
    private static partial Regex WktHeader();

    [GeneratedRegex(@"(?:AUTHORITY|ID)\s*[\[(]\s*""EPSG""\s*,\s*""?(?<code>[0-9]+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgAuthority();

    [GeneratedRegex("[^a-z0-9]")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex("^wgs(?:84|1984)utmzone(?<zone>[0-9]{1,2})(?<hemisphere>[ns])$")]
    private static partial Regex UtmName();

    [GeneratedRegex("^(?:cgcs2000|chinageodeticcoordinatesystem2000)(?<three>3degree)?g(?:auss)?k(?:ru(?:e)?ger)?(?:cm(?<cm>[0-9]{2,3})e|zone(?<zone>[0-9]{2}))$")]
    private static partial Regex GaussKrugerName();
}
