using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Geometry;

/// <summary>
/// One coordinate reference system the application can read or write, with its conversions to and from WGS84.
/// Get instances from <see cref="CrsRegistry"/>. Every conversion is in "GIS order" (x = easting or longitude,
/// y = northing or latitude) whatever the authority's axis order is; <see cref="AuthorityAxisOrderIsNorthFirst"/>
/// tells the OGC and file-format code when to swap. There is never a datum shift: CGCS2000 and WGS84 are the same
/// numbers here, as PROJ treats EPSG:4490 → EPSG:4326 (they differ by centimetres, below our data's accuracy).
/// <para>Cost: O(1) per coordinate, O(vertices) per geometry.</para>
/// </summary>
public sealed class Crs
{
    private readonly Func<double, double, (double, double)> _toWgs84;
    private readonly Func<double, double, (double, double)> _fromWgs84;

    internal Crs(string id, string name, bool isGeographic, string? ogcUri, bool northFirst, int srid,
        Func<double, double, (double, double)> toWgs84, Func<double, double, (double, double)> fromWgs84)
    {
        Id = id;
        Name = name;
        IsGeographic = isGeographic;
        OgcUri = ogcUri;
        AuthorityAxisOrderIsNorthFirst = northFirst;
        _toWgs84 = toWgs84;
        _fromWgs84 = fromWgs84;
        Factory = srid == Wgs84.Srid
            ? Wgs84.Factory
            : NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(PrecisionModels.Floating), srid);
    }

    /// <summary>Canonical identifier: "EPSG:4326", "OGC:CRS84", "EPSG:32650", "GCJ-02", "BD-09", "WKT:&lt;name&gt;".</summary>
    public string Id { get; }

    /// <summary>Human name as EPSG spells it, e.g. "WGS 84 / UTM zone 50N".</summary>
    public string Name { get; }

    /// <summary>Coordinates in degrees (4326, CRS84, 4490, GCJ-02, BD-09) rather than metres.</summary>
    public bool IsGeographic { get; }

    /// <summary>The OGC URI (http://www.opengis.net/def/crs/EPSG/0/4326 …); null for the systems without an authority code.</summary>
    public string? OgcUri { get; }

    /// <summary>
    /// Whether the authority orders the axes north first: (lat, lon) for EPSG:4326 and 4490, (northing, easting) for the
    /// CGCS2000 Gauss-Krüger systems; false for CRS84, 3857 and UTM.
    /// </summary>
    public bool AuthorityAxisOrderIsNorthFirst { get; }

    /// <summary>Factory for geometries in this CRS: SRID = the EPSG code, 0 when there is none.</summary>
    internal GeometryFactory Factory { get; }

    public (double Lon, double Lat) ToWgs84(double x, double y) => _toWgs84(x, y);

    public (double X, double Y) FromWgs84(double lon, double lat) => _fromWgs84(lon, lat);

    /// <summary>A copy of a geometry in this CRS as WGS84 (SRID 4326, <see cref="Wgs84.Factory"/>).</summary>
    public NetTopologySuite.Geometries.Geometry ToWgs84(NetTopologySuite.Geometries.Geometry g) =>
        Transform(g, _toWgs84, Wgs84.Factory);

    /// <summary>A copy of a WGS84 geometry in this CRS (SRID of <see cref="Factory"/>).</summary>
    public NetTopologySuite.Geometries.Geometry FromWgs84(NetTopologySuite.Geometries.Geometry g) =>
        Transform(g, _fromWgs84, Factory);

    public override string ToString() => Id + " (" + Name + ")";

    private static NetTopologySuite.Geometries.Geometry Transform(NetTopologySuite.Geometries.Geometry geometry,
        Func<double, double, (double, double)> map, GeometryFactory factory)
    {
        var copy = factory.CreateGeometry(geometry);
        copy.Apply(new CoordinateMap(map));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class CoordinateMap(Func<double, double, (double, double)> map) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = map(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
