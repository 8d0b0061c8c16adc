using NetTopologySuite.IO;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Tests.Geometry;

public sealed class CrsRegistryTests
{
    [Theory]
    [InlineData("EPSG:4326", "EPSG:4326")]
    [InlineData("epsg:4326", "EPSG:4326")]
    [InlineData("4326", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:EPSG::4326", "EPSG:4326")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:4326")]
    [InlineData("WGS84", "EPSG:4326")]
    [InlineData("CRS84", "OGC:CRS84")]
    [InlineData("OGC:CRS84", "OGC:CRS84")]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "OGC:CRS84")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84")]
    [InlineData("CGCS2000", "EPSG:4490")]
    [InlineData("GCJ-02", "GCJ-02")]
    [InlineData("GCJ02", "GCJ-02")]
    [InlineData("gcj02", "GCJ-02")]
    [InlineData("BD-09", "BD-09")]
    [InlineData("BD09", "BD-09")]
    [InlineData("bd09", "BD-09")]
    [InlineData("EPSG:900913", "EPSG:3857")]
    [InlineData(" EPSG:32650 ", "EPSG:32650")]
    [InlineData("32760", "EPSG:32760")]
    [InlineData("EPSG:4547", "EPSG:4547")]
    [InlineData("EPSG:4513", "EPSG:4513")]
    [InlineData("EPSG:4502", "EPSG:4502")]
    public void FindAcceptsEveryUsualSpellingOfACode(string code, string id) =>
        Assert.Equal(id, CrsRegistry.Find(code)?.Id);

    [Theory]
    [InlineData("")]
    [InlineData("EPSG:2000")]
    [InlineData("EPSG:32661")]
    [InlineData("EPSG:4555")]
    [InlineData("EPSG:")]
    [InlineData("NAD27")]
    [InlineData("EPSG:99999999999")]
    public void FindReturnsNullForWhatItDoesNotSupport(string code) => Assert.Null(CrsRegistry.Find(code));

    [Fact]
    public void PropertiesFollowTheAuthorityDefinitions()
    {
        var utm = CrsRegistry.Find("EPSG:32650")!;
        Assert.Equal(("WGS 84 / UTM zone 50N", false, false, "http://www.opengis.net/def/crs/EPSG/0/32650"),
            (utm.Name, utm.IsGeographic, utm.AuthorityAxisOrderIsNorthFirst, utm.OgcUri));
        Assert.Equal("WGS 84 / UTM zone 50S", CrsRegistry.Find("EPSG:32750")!.Name);
        Assert.True(CrsRegistry.Wgs84.IsGeographic && CrsRegistry.Wgs84.AuthorityAxisOrderIsNorthFirst);
        Assert.Equal("EPSG:4326", CrsRegistry.Wgs84.Id);
        var crs84 = CrsRegistry.Find("CRS84")!;
        Assert.Equal((true, false, "http://www.opengis.net/def/crs/OGC/1.3/CRS84"), (crs84.IsGeographic, crs84.AuthorityAxisOrderIsNorthFirst, crs84.OgcUri));
        Assert.True(CrsRegistry.Find("EPSG:4490")!.AuthorityAxisOrderIsNorthFirst);
        Assert.All(Enumerable.Range(4513, 42), code => Assert.True(CrsRegistry.Find($"EPSG:{code}")!.AuthorityAxisOrderIsNorthFirst));
        Assert.False(CrsRegistry.Find("EPSG:3857")!.AuthorityAxisOrderIsNorthFirst);
        var gcj = CrsRegistry.Find("GCJ-02")!;
        Assert.Equal((true, (string?)null), (gcj.IsGeographic, gcj.OgcUri));
        Assert.Same(CrsRegistry.Find("EPSG:32650"), CrsRegistry.Find("32650"));
    }

    [Fact]
    public void OgcListStartsWithTheStorageCrsAndOffersEveryUtmZone()
    {
        Assert.Equal(["OGC:CRS84", "EPSG:4326", "EPSG:3857", "EPSG:4490", "EPSG:4547"], CrsRegistry.OgcCrs.Take(5).Select(c => c.Id));
        Assert.Equal(125, CrsRegistry.OgcCrs.Count);
        Assert.Contains(CrsRegistry.OgcCrs, c => c.Id == "EPSG:32650");
        Assert.Contains(CrsRegistry.OgcCrs, c => c.Id == "EPSG:32760");
        Assert.All(CrsRegistry.OgcCrs, c => Assert.NotNull(c.OgcUri));
    }

    [Fact]
    public void CgcsIsWgs84NumericallyWithNoDatumShift()
    {
        var cgcs = CrsRegistry.Find("EPSG:4490")!;
        Assert.Equal((114.123456789, 22.987654321), cgcs.ToWgs84(114.123456789, 22.987654321));
        Assert.Equal((114.123456789, 22.987654321), cgcs.FromWgs84(114.123456789, 22.987654321));
    }

    [Fact]
    public void ChineseOffsetSystemsUseChineseOffsetsAndInvertWithinAMillimetre()
    {
        var gcj = CrsRegistry.Find("GCJ-02")!;
        var bd = CrsRegistry.Find("BD-09")!;
        Assert.Equal(ChineseOffsets.Wgs84ToGcj02(116.397, 39.909), gcj.FromWgs84(116.397, 39.909));
        Assert.Equal(ChineseOffsets.Wgs84ToBd09(116.397, 39.909), bd.FromWgs84(116.397, 39.909));
        foreach (var crs in new[] { gcj, bd })
        {
            var (x, y) = crs.FromWgs84(116.397, 39.909);
            Assert.True(Math.Abs(x - 116.397) > 1e-4, $"{crs.Id} applies an offset");
            var (lon, lat) = crs.ToWgs84(x, y);
            Assert.Equal(116.397, lon, 1e-8);
            Assert.Equal(39.909, lat, 1e-8);
        }
    }

    [Fact]
    public void GeometriesAreCopiedWithTheSridOfTheirCrs()
    {
        var wgs = new WKTReader().Read("POLYGON ((118 41, 118.01 41, 118.01 41.01, 118 41, 118 41))");
        wgs.SRID = 4326;
        var utm = CrsRegistry.Find("EPSG:32650")!;
        var metric = utm.FromWgs84(wgs);
        Assert.Equal(32650, metric.SRID);
        Assert.Equal(118, wgs.Coordinates[0].X);
        var (x, y) = utm.FromWgs84(118, 41);
        Assert.Equal((x, y), (metric.Coordinates[0].X, metric.Coordinates[0].Y));
        var back = utm.ToWgs84(metric);
        Assert.Equal(4326, back.SRID);
        Assert.Same(Wgs84.Factory, back.Factory);
        Assert.True(back.EqualsExact(wgs, 1e-9));
    }

    /// <summary>MetricProjection keeps ProjNet (the demo city is generated through it): within its zone it agrees to 0.1 mm.</summary>
    [Theory]
    [InlineData(117.0, 0.0)]
    [InlineData(118.3, 41.2)]
    [InlineData(119.99, 70.0)]
    [InlineData(114.01, 5.0)]
    public void MetricProjectionAgreesWithTheRegistryWithinATenthOfAMillimetre(double lon, double lat)
    {
        var c = new MetricProjection(50, true).ToMetric(lon, lat);
        var (x, y) = CrsRegistry.Find("EPSG:32650")!.FromWgs84(lon, lat);
        Assert.Equal(x, c.X, 1e-4);
        Assert.Equal(y, c.Y, 1e-4);
    }
}
