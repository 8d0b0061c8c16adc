using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Tests.Geometry;

/// <summary>
/// GCJ-02 and BD-09 against published test points (googollee/eviltransform's test cases, wandergis/coordtransform's
/// README results) and exact round trips.
/// </summary>
public sealed class ChineseOffsetsTests
{
    private const double Published = 1e-9; // degrees (0.1 mm)

    [Theory]
    [InlineData(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597)] // Shanghai (eviltransform)
    [InlineData(113.912316, 22.543847, 113.9171764808363, 22.540796131694766)] // Shenzhen (eviltransform)
    [InlineData(116.377817, 39.911954, 116.38404722455657, 39.91334545536069)] // Beijing (eviltransform)
    [InlineData(116.404, 39.915, 116.41024449916938, 39.91640428150164)]       // Beijing (coordtransform)
    public void Wgs84ToGcj02MatchesThePublishedPoints(double lon, double lat, double gcjLon, double gcjLat)
    {
        var (x, y) = ChineseOffsets.Wgs84ToGcj02(lon, lat);
        Assert.Equal(gcjLon, x, Published);
        Assert.Equal(gcjLat, y, Published);
    }

    [Fact]
    public void Bd09MatchesThePublishedPoints()
    {
        // coordtransform: gcj02tobd09(116.404, 39.915) and the one-step bd09togcj02(116.404, 39.915)
        var (bdLon, bdLat) = ChineseOffsets.Gcj02ToBd09(116.404, 39.915);
        Assert.Equal(116.41036949371029, bdLon, Published);
        Assert.Equal(39.92133699351021, bdLat, Published);
        var (gLon, gLat) = ChineseOffsets.Bd09ToGcj02Approximate(116.404, 39.915);
        Assert.Equal(116.39762729119315, gLon, Published);
        Assert.Equal(39.90865673957631, gLat, Published);
        // the exact inverse differs from the one-step one by centimetres only
        var (eLon, eLat) = ChineseOffsets.Bd09ToGcj02(116.404, 39.915);
        Assert.InRange(Metres(eLon, eLat, gLon, gLat), 0, 0.1);
        // coordtransform's one-step gcj02towgs84(116.404, 39.915) is within the 1–2 m it is known for of the exact inverse
        var (wLon, wLat) = ChineseOffsets.Gcj02ToWgs84(116.404, 39.915);
        Assert.InRange(Metres(wLon, wLat, 116.39775550083061, 39.91359571849836), 0.05, 2.5);
    }

    [Fact]
    public void TheInversesAreExactRoundTripsAcrossChina()
    {
        var random = new Random(2026);
        var worst = 0.0;
        for (var i = 0; i < 2000; i++)
        {
            var (lon, lat) = (73 + (random.NextDouble() * 62), 18 + (random.NextDouble() * 35));
            var (gLon, gLat) = ChineseOffsets.Wgs84ToGcj02(lon, lat);
            var (bLon, bLat) = ChineseOffsets.Gcj02ToBd09(gLon, gLat);
            var (w1Lon, w1Lat) = ChineseOffsets.Gcj02ToWgs84(gLon, gLat);
            var (w2Lon, w2Lat) = ChineseOffsets.Bd09ToWgs84(bLon, bLat);
            worst = Math.Max(worst, Math.Max(Metres(lon, lat, w1Lon, w1Lat), Metres(lon, lat, w2Lon, w2Lat)));
            // the offsets are a few hundred metres at most
            Assert.InRange(Metres(lon, lat, gLon, gLat), 0, 1_000);
        }
        Assert.True(worst < 0.005, $"worst round trip {worst * 1000:0.###} mm");
    }

    [Fact]
    public void OutsideChinaGcj02IsWgs84()
    {
        Assert.Equal((9.5215, 47.1395), ChineseOffsets.Wgs84ToGcj02(9.5215, 47.1395)); // Vaduz
        Assert.Equal((9.5215, 47.1395), ChineseOffsets.Gcj02ToWgs84(9.5215, 47.1395));
        Assert.False(ChineseOffsets.InChina(121.5, 25.0 + 40));
        Assert.True(ChineseOffsets.InChina(114.9, 40.8)); // the demo city
    }

    /// <summary>Approximate distance in metres between two nearby points (equirectangular).</summary>
    private static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        var k = Math.PI / 180 * 6_371_000;
        return Math.Sqrt(Math.Pow((lon2 - lon1) * k * Math.Cos(lat1 * Math.PI / 180), 2) + Math.Pow((lat2 - lat1) * k, 2));
    }
}
