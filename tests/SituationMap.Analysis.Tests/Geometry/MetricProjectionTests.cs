using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Tests.Geometry;

public sealed class MetricProjectionTests
{
    [Theory]
    [InlineData(114.9, 40.8, 50, true, 32650)]
    [InlineData(-87.63, 41.88, 16, true, 32616)]   // Chicago
    [InlineData(9.52, 47.14, 32, true, 32632)]     // Vaduz
    [InlineData(151.2, -33.9, 56, false, 32756)]   // Sydney
    [InlineData(180, 0, 60, true, 32660)]
    [InlineData(-180, 0, 1, true, 32601)]
    public void ZoneIsChosenFromTheLocation(double lon, double lat, int zone, bool north, int epsg)
    {
        var projection = MetricProjection.ForLocation(lon, lat);
        Assert.Equal(zone, projection.UtmZone);
        Assert.Equal(north, projection.North);
        Assert.Equal(epsg, projection.EpsgCode);
    }

    [Fact]
    public void ProjectsToThePublishedUtmCoordinatesOfAKnownPoint()
    {
        // 114.9°E 40.8°N in WGS 84 / UTM 50N as PROJ 9.1 computes it
        // (echo "114.9 40.8" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32650 -output_xy): 322,848.13 E, 4,518,677.38 N
        var c = new MetricProjection(50, true).ToMetric(114.9, 40.8);
        Assert.Equal(322_848.13, c.X, 0.01);
        Assert.Equal(4_518_677.38, c.Y, 0.01);
    }

    [Fact]
    public void RoundTripReturnsTheSamePointWithinAMillimetre()
    {
        var projection = MetricProjection.ForLocation(114.9, 40.8);
        var metric = projection.ToMetric(114.93, 40.77);
        var back = projection.ToWgs84(metric.X, metric.Y);
        Assert.Equal(114.93, back.X, 1e-8);  // 1e-8° ≈ 1 mm
        Assert.Equal(40.77, back.Y, 1e-8);
    }

    [Fact]
    public void DistancesInTheProjectionMatchGeodesicDistancesWithinTheScaleError()
    {
        // 0.01° of latitude at 40.8°N is 1,111.06 m on the WGS84 ellipsoid; UTM's scale factor here is ~0.99992
        var projection = MetricProjection.ForLocation(114.9, 40.8);
        var line = Wgs84.Factory.CreateLineString([new Coordinate(114.9, 40.8), new Coordinate(114.9, 40.81)]);
        Assert.Equal(1_111.06, projection.ToMetric(line).Length, 1.0);
    }

    [Fact]
    public void TransformedGeometriesCarryTheirSridAndLeaveTheOriginalUntouched()
    {
        var projection = MetricProjection.ForLocation(114.9, 40.8);
        var point = Wgs84.Point(114.9, 40.8);
        var metric = projection.ToMetric(point);
        Assert.Equal(32650, metric.SRID);
        Assert.Equal(114.9, point.X);
        var back = projection.ToWgs84(metric);
        Assert.Equal(4326, back.SRID);
        Assert.Equal(114.9, back.X, 1e-9);
    }

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(0, 91)]
    [InlineData(181, 0)]
    public void OutOfRangeLocationsAreRefused(double lon, double lat) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MetricProjection.ForLocation(lon, lat));
}
