using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Geometry;

/// <summary>
/// The one way into metres: a UTM zone (WGS84 datum, no datum shift) chosen from the data's centre, or given.
/// All metric work (distances, areas, buffers, kernels) happens in this plane; results go back to
/// <see cref="Wgs84"/> for storage. The numbers are the registry's (<see cref="CrsRegistry"/>, Krüger series, within
/// 10⁻⁵ mm of PROJ). Transforming a geometry costs O(vertices).
/// </summary>
public sealed class MetricProjection
{
    private readonly Crs _crs;

    public MetricProjection(int utmZone, bool north)
    {
        if (utmZone is < 1 or > 60) throw new ArgumentOutOfRangeException(nameof(utmZone), utmZone, "UTM zones are 1..60.");
        UtmZone = utmZone;
        North = north;
        _crs = CrsRegistry.FindEpsg(EpsgCode)!;
    }
    public int UtmZone { get; }

    public bool North { get; }

    /// <summary>EPSG code of the zone: 326zz north, 327zz south.</summary>
    public int EpsgCode => (North ? 32600 : 32700) + UtmZone;

    /// <summary>Factory for geometries in this projection (SRID = <see cref="EpsgCode"/>).</summary>
    public GeometryFactory Factory => _crs.Factory;

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
        var (x, y) = _crs.FromWgs84(longitude, latitude);
        return new Coordinate(x, y);
    }

    public Coordinate ToWgs84(double easting, double northing)
    {
        var (lon, lat) = _crs.ToWgs84(easting, northing);
        return new Coordinate(lon, lat);
    }

    /// <summary>A copy of a WGS84 geometry in this projection's metres.</summary>
    public T ToMetric<T>(T wgs84Geometry) where T : NetTopologySuite.Geometries.Geometry => (T)_crs.FromWgs84(wgs84Geometry);

    /// <summary>A copy of a metric geometry in WGS84 degrees.</summary>
    public T ToWgs84<T>(T metricGeometry) where T : NetTopologySuite.Geometries.Geometry => (T)_crs.ToWgs84(metricGeometry);
}
