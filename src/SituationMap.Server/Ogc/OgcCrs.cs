using System.Globalization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Ogc;

/// <summary>
/// The coordinate reference systems of OGC API - Features Part 2 the collections can be read in (?crs) and queried
/// by (?bbox-crs): <see cref="CrsRegistry.OgcCrs"/> — CRS84 (storage, lon/lat), EPSG:4326, 3857, 4490, 4547 and the
/// 120 UTM zones. Coordinates follow each CRS's axis order: EPSG:4326 and EPSG:4490 are (lat, lon); EPSG:4547 is
/// (northing, easting) as EPSG defines it; EPSG:3857 and UTM are (x, y). CGCS2000 is taken as WGS84 numerically (no
/// datum shift; they differ by centimetres). The numbers are the registry's, within 10⁻⁵ mm of PROJ.
/// </summary>
public sealed class OgcCrs
{
    public const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    private readonly Crs _crs;

    private OgcCrs(Crs crs)
    {
        _crs = crs;
        Uri = crs.OgcUri!;
    }

    public string Uri { get; }

    public bool IsStorage => Uri == Crs84Uri;

    public static readonly IReadOnlyList<OgcCrs> Supported = CrsRegistry.OgcCrs.Select(c => new OgcCrs(c)).ToArray();

    public static readonly OgcCrs Crs84 = Supported[0];

    public static IReadOnlyList<string> Uris { get; } = Supported.Select(c => c.Uri).ToArray();

    private static readonly Dictionary<string, OgcCrs> ByUri = Supported.ToDictionary(c => c.Uri);

    /// <summary>The CRS named by a query parameter (default CRS84), or null with a problem at ?<paramref name="name"/>.</summary>
    public static OgcCrs? Parse(string? raw, string name, ProblemCollector problems)
    {
        if (string.IsNullOrEmpty(raw)) return Crs84;
        if (ByUri.TryGetValue(raw, out var crs)) return crs;
        problems.Add("?" + name, $"is not a supported CRS; use one of the collection's crs URIs ({Uris[0]}, {Uris[1]}, … {Uris[^1]}).");
        return null;
    }

    /// <summary>The Content-Crs header value.</summary>
    public string Header => "<" + Uri + ">";

    /// <summary>A copy of a CRS84 geometry in this CRS (the geometry itself for CRS84).</summary>
    public Geometry? Project(Geometry? geometry)
    {
        if (geometry is null || IsStorage) return geometry;
        var copy = geometry.Copy();
        copy.Apply(new CoordinateMap(FromCrs84));
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>CRS84 (lon, lat) → this CRS's coordinates in its axis order.</summary>
    public (double A, double B) FromCrs84(double lon, double lat)
    {
        var (x, y) = _crs.FromWgs84(lon, lat);
        return _crs.AuthorityAxisOrderIsNorthFirst ? (y, x) : (x, y);
    }

    /// <summary>This CRS's coordinates in its axis order → CRS84 (lon, lat).</summary>
    public (double Lon, double Lat) ToCrs84(double a, double b) =>
        _crs.AuthorityAxisOrderIsNorthFirst ? _crs.ToWgs84(b, a) : _crs.ToWgs84(a, b);

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
                var (lon, lat) = ToCrs84(a0 + (a1 - a0) * i / n, b0 + (b1 - b0) * i / n);
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
