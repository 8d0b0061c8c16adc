using System.Globalization;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Ogc;

/// <summary>
/// The coordinate reference systems of OGC API - Features Part 2 the collections can be read in (?crs) and queried
/// by (?bbox-crs). Storage is CRS84 (lon, lat). Coordinates follow each CRS's axis order: EPSG:4326 and EPSG:4490 are
/// (lat, lon); EPSG:4547 is (northing, easting) as EPSG defines it; EPSG:3857 is (x, y). CGCS2000 is taken as WGS84
/// numerically (no datum shift; they differ by centimetres).
/// </summary>
public sealed class OgcCrs
{
    public const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const string Epsg = "http://www.opengis.net/def/crs/EPSG/0/";
    private const double EarthRadius = 6378137;

    private readonly Func<double, double, (double A, double B)> _fromCrs84;
    private readonly Func<double, double, (double Lon, double Lat)> _toCrs84;

    private OgcCrs(string uri, Func<double, double, (double, double)> fromCrs84, Func<double, double, (double, double)> toCrs84)
    {
        Uri = uri;
        _fromCrs84 = fromCrs84;
        _toCrs84 = toCrs84;
    }

    public string Uri { get; }

    public bool IsStorage => Uri == Crs84Uri;

    public static readonly OgcCrs Crs84 = new(Crs84Uri, (lon, lat) => (lon, lat), (x, y) => (x, y));

    public static readonly IReadOnlyList<OgcCrs> Supported =
    [
        Crs84,
        new(Epsg + "4326", (lon, lat) => (lat, lon), (a, b) => (b, a)),
        new(Epsg + "3857", WebMercator, InverseWebMercator),
        new(Epsg + "4490", (lon, lat) => (lat, lon), (a, b) => (b, a)),
        GaussKruger114(),
    ];

    public static IReadOnlyList<string> Uris { get; } = Supported.Select(c => c.Uri).ToArray();

    /// <summary>The CRS named by a query parameter (default CRS84), or null with a problem at ?<paramref name="name"/>.</summary>
    public static OgcCrs? Parse(string? raw, string name, ProblemCollector problems)
    {
        if (string.IsNullOrEmpty(raw)) return Crs84;
        var crs = Supported.FirstOrDefault(c => c.Uri == raw);
        if (crs is null) problems.Add("?" + name, $"is not a supported CRS; use one of: {string.Join(", ", Uris)}.");
        return crs;
    }

    /// <summary>The Content-Crs header value.</summary>
    public string Header => "<" + Uri + ">";

    /// <summary>A copy of a CRS84 geometry in this CRS (the geometry itself for CRS84).</summary>
    public Geometry? Project(Geometry? geometry)
    {
        if (geometry is null || IsStorage) return geometry;
        var copy = geometry.Copy();
        copy.Apply(new CoordinateMap(_fromCrs84));
        copy.GeometryChanged();
        return copy;
    }

    public (double A, double B) FromCrs84(double lon, double lat) => _fromCrs84(lon, lat);

    public (double Lon, double Lat) ToCrs84(double a, double b) => _toCrs84(a, b);

    /// <summary>
    /// bbox given in this CRS (four numbers in its axis order) as a CRS84 polygon: the rectangle's edges are densified
    /// (32 points each) before transforming, so a projected box stays the area it names; null with a problem otherwise.
    /// </summary>
    public Polygon? BboxToCrs84(string raw, ProblemCollector problems)
    {
        if (IsStorage)
        {
            return PageQuery.ParseBbox(raw, "?bbox", problems) is { } envelope ? (Polygon)Wgs84.Factory.ToGeometry(envelope) : null;
        }
        var parts = raw.Split(',');
        var v = new double[parts.Length];
        if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) && double.IsFinite(v[i])).Any(ok => !ok))
        {
            problems.Add("?bbox", $"must be four numbers (lower corner, upper corner) in the axis order of {Uri}.");
            return null;
        }
        if (v[0] > v[2] || v[1] > v[3])
        {
            problems.Add("?bbox", "the lower corner must not exceed the upper corner.");
            return null;
        }
        const int n = 32;
        var ring = new List<Coordinate>();
        (double A, double B)[] corners = [(v[0], v[1]), (v[2], v[1]), (v[2], v[3]), (v[0], v[3])];
        for (var c = 0; c < 4; c++)
        {
            var (a0, b0) = corners[c];
            var (a1, b1) = corners[(c + 1) % 4];
            for (var i = 0; i < n; i++)
            {
                var (lon, lat) = _toCrs84(a0 + (a1 - a0) * i / n, b0 + (b1 - b0) * i / n);
                if (!double.IsFinite(lon) || !double.IsFinite(lat) || lon is < -180 or > 180 || lat is < -90 or > 90)
                {
                    problems.Add("?bbox", $"lies outside the area of {Uri}.");
                    return null;
                }
                ring.Add(new Coordinate(lon, lat));
            }
        }
        ring.Add(ring[0].Copy());
        return Wgs84.Factory.CreatePolygon(ring.ToArray());
    }

    private static (double, double) WebMercator(double lon, double lat) =>
        (EarthRadius * lon * Math.PI / 180, EarthRadius * Math.Log(Math.Tan(Math.PI / 4 + lat * Math.PI / 360)));

    private static (double, double) InverseWebMercator(double x, double y) =>
        (x / EarthRadius * 180 / Math.PI, (2 * Math.Atan(Math.Exp(y / EarthRadius)) - Math.PI / 2) * 180 / Math.PI);

    /// <summary>EPSG:4547, CGCS2000 / 3-degree Gauss-Kruger CM 114E: TM, lat0 0, lon0 114, k 1, FE 500 km, GRS80-equivalent ellipsoid (ProjNet).</summary>
    private static OgcCrs GaussKruger114()
    {
        var factory = new CoordinateSystemFactory();
        var ellipsoid = factory.CreateFlattenedSphere("CGCS2000", 6378137, 298.257222101, LinearUnit.Metre);
        var datum = factory.CreateHorizontalDatum("China 2000", DatumType.HD_Geocentric, ellipsoid, null);
        var geographic = factory.CreateGeographicCoordinateSystem("CGCS2000", AngularUnit.Degrees, datum, PrimeMeridian.Greenwich,
            new AxisInfo("Lon", AxisOrientationEnum.East), new AxisInfo("Lat", AxisOrientationEnum.North));
        var projection = factory.CreateProjection("Transverse Mercator", "Transverse_Mercator",
        [
            new ProjectionParameter("latitude_of_origin", 0), new ProjectionParameter("central_meridian", 114),
            new ProjectionParameter("scale_factor", 1), new ProjectionParameter("false_easting", 500_000),
            new ProjectionParameter("false_northing", 0),
        ]);
        var projected = factory.CreateProjectedCoordinateSystem("CGCS2000 / 3-degree Gauss-Kruger CM 114E", geographic, projection,
            LinearUnit.Metre, new AxisInfo("East", AxisOrientationEnum.East), new AxisInfo("North", AxisOrientationEnum.North));
        var forward = new CoordinateTransformationFactory().CreateFromCoordinateSystems(geographic, projected).MathTransform;
        var inverse = forward.Inverse();
        return new OgcCrs(Epsg + "4547",
            (lon, lat) =>
            {
                var (e, n) = forward.Transform(lon, lat);
                return (n, e);
            },
            (n, e) => inverse.Transform(e, n));
    }

    private sealed class CoordinateMap(Func<double, double, (double, double)> map) : NetTopologySuite.Geometries.ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (a, b) = map(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, a);
            seq.SetY(i, b);
        }
    }
}
