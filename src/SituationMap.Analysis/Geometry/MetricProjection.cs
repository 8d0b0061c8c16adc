using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace SituationMap.Analysis.Geometry;

/// <summary>
/// The one way into metres: a UTM zone (WGS84 datum, no datum shift) chosen from the data's centre, or given.
/// All metric work (distances, areas, buffers, kernels) happens in this plane; results go back to
/// <see cref="Wgs84"/> for storage. Transforming a geometry costs O(vertices).
/// <para>This stays on ProjNet's Transverse Mercator rather than <see cref="CrsRegistry"/>'s Krüger series: inside a
/// zone they agree to 0.02 mm, but the committed demo city (geodata/demo-city) is generated through this class byte for
/// byte, and the other series moves a few 7th-decimal roundings. Switch together with a regeneration of the demo city.</para>
/// </summary>
public sealed class MetricProjection
{
    private readonly MathTransform _toMetric;
    private readonly MathTransform _toWgs84;

    public MetricProjection(int utmZone, bool north)
    {
        if (utmZone is < 1 or > 60) throw new ArgumentOutOfRangeException(nameof(utmZone), utmZone, "UTM zones are 1..60.");
        UtmZone = utmZone;
        North = north;
        var utm = ProjectedCoordinateSystem.WGS84_UTM(utmZone, north);
        var transform = new CoordinateTransformationFactory().CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, utm);
        _toMetric = transform.MathTransform;
        _toWgs84 = transform.MathTransform.Inverse();
        Factory = new GeometryFactory(new PrecisionModel(), EpsgCode);
    }

    public int UtmZone { get; }

    public bool North { get; }

    /// <summary>EPSG code of the zone: 326zz north, 327zz south.</summary>
    public int EpsgCode => (North ? 32600 : 32700) + UtmZone;

    /// <summary>Factory for geometries in this projection (SRID = <see cref="EpsgCode"/>).</summary>
    public GeometryFactory Factory { get; }

    /// <summary>The UTM zone containing the given longitude/latitude (the Norway/Svalbard exceptions are ignored).</summary>
    public static MetricProjection ForLocation(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude) || longitude is < -180 or > 180) throw new ArgumentOutOfRangeException(nameof(longitude));
        if (!double.IsFinite(latitude) || latitude is < -90 or > 90) throw new ArgumentOutOfRangeException(nameof(latitude));
        var zone = Math.Min(60, (int)Math.Floor((longitude + 180) / 6) + 1);
        return new MetricProjection(zone, latitude >= 0);
    }

    /// <summary>The zone for the centre of the given geometries' common envelope.</summary>
    public static MetricProjection ForExtent(Envelope wgs84Extent) =>
        ForLocation(wgs84Extent.Centre.X, wgs84Extent.Centre.Y);

    public Coordinate ToMetric(double longitude, double latitude)
    {
        var (x, y) = _toMetric.Transform(longitude, latitude);
        return new Coordinate(x, y);
    }

    public Coordinate ToWgs84(double easting, double northing)
    {
        var (lon, lat) = _toWgs84.Transform(easting, northing);
        return new Coordinate(lon, lat);
    }

    /// <summary>A copy of a WGS84 geometry in this projection's metres.</summary>
    public T ToMetric<T>(T wgs84Geometry) where T : NetTopologySuite.Geometries.Geometry =>
        Transform(wgs84Geometry, _toMetric, Factory);

    /// <summary>A copy of a metric geometry in WGS84 degrees.</summary>
    public T ToWgs84<T>(T metricGeometry) where T : NetTopologySuite.Geometries.Geometry =>
        Transform(metricGeometry, _toWgs84, Wgs84.Factory);

    private static T Transform<T>(T geometry, MathTransform transform, GeometryFactory factory) where T : NetTopologySuite.Geometries.Geometry
    {
        var copy = (T)factory.CreateGeometry(geometry);
        copy.Apply(new TransformFilter(transform));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class TransformFilter(MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
