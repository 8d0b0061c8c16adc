using SituationMap.Analysis.Geometry;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Geometry;

/// <summary>
/// The registry's projections against PROJ 9 (cs2cs, computed at test time): within 1 mm for UTM, CGCS2000
/// Gauss-Krüger and Web Mercator over each zone's full width, and round trips back within 1 mm.
/// One metre of latitude ≈ 9.0e-6°, so angles are compared after conversion to metres on the ground.
/// </summary>
public sealed class CoordinateSystemsAgainstProjTests(ITestOutputHelper output)
{
    private const double Millimetre = 0.001;

    /// <summary>Longitudes from CM − half to CM + half (both edges included), latitudes as given.</summary>
    private static List<(double X, double Y)> Grid(double centralMeridian, double half, double latFrom, double latTo, double latStep)
    {
        var points = new List<(double, double)>();
        for (var lat = latFrom; lat <= latTo + 1e-9; lat += latStep)
        {
            for (var d = -half; d <= half + 1e-9; d += half / 4)
            {
                points.Add((centralMeridian + d, lat));
            }
            points.Add((centralMeridian + half - 1e-7, lat + 0.123456));
        }
        return points;
    }

    /// <summary>Largest forward error against PROJ and largest round-trip error, both in metres.</summary>
    private static (double Forward, double RoundTrip) Errors(Crs geographic, Crs crs, List<(double X, double Y)> points)
    {
        var reference = Cs2cs.Transform(geographic, crs, points);
        double forward = 0, roundTrip = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var (x, y) = crs.FromWgs84(points[i].X, points[i].Y);
            forward = Math.Max(forward, Math.Max(Math.Abs(x - reference[i].X), Math.Abs(y - reference[i].Y)));
            var (lon, lat) = crs.ToWgs84(x, y);
            roundTrip = Math.Max(roundTrip, GroundDistance(lon, lat, points[i].X, points[i].Y));
        }
        return (forward, roundTrip);
    }

    private static double GroundDistance(double lon0, double lat0, double lon1, double lat1) =>
        Math.Max(Math.Abs(lat1 - lat0), Math.Abs(lon1 - lon0) * Math.Cos(lat0 * Math.PI / 180)) * 111_320;

    [Fact]
    public void EveryUtmZoneMatchesProjWithinAMillimetreAcrossItsWidthInBothHemispheres()
    {
        double worstForward = 0, worstRoundTrip = 0;
        for (var zone = 1; zone <= 60; zone++)
        {
            var cm = (6 * zone) - 183;
            var north = Errors(CrsRegistry.Wgs84, CrsRegistry.Find($"EPSG:{32600 + zone}")!, Grid(cm, 3, 0, 84, 12));
            var south = Errors(CrsRegistry.Wgs84, CrsRegistry.Find($"EPSG:{32700 + zone}")!, Grid(cm, 3, -80, 0, 10));
            worstForward = Math.Max(worstForward, Math.Max(north.Forward, south.Forward));
            worstRoundTrip = Math.Max(worstRoundTrip, Math.Max(north.RoundTrip, south.RoundTrip));
        }
        output.WriteLine($"UTM, 120 zones: max |Δ| vs PROJ {worstForward * 1000:F6} mm, max round trip {worstRoundTrip * 1000:F6} mm");
        Assert.InRange(worstForward, 0, Millimetre);
        Assert.InRange(worstRoundTrip, 0, Millimetre);
    }

    [Fact]
    public void CgcsThreeDegreeGaussKrugerZonesMatchProjWithinAMillimetreAcrossChinaIncludingThreeDegreesOffTheirMeridian()
    {
        double worstForward = 0, worstRoundTrip = 0;
        for (var code = 4534; code <= 4554; code++)
        {
            var cm = 75 + (3 * (code - 4534));
            var crs = CrsRegistry.Find(code.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
            Assert.Equal($"CGCS2000 / 3-degree Gauss-Kruger CM {cm}E", crs.Name);
            var (forward, roundTrip) = Errors(CrsRegistry.Find("EPSG:4490")!, crs, Grid(cm, 3, 3, 54, 3));
            worstForward = Math.Max(worstForward, forward);
            worstRoundTrip = Math.Max(worstRoundTrip, roundTrip);
        }
        output.WriteLine($"CGCS2000 3° GK 4534-4554: max |Δ| vs PROJ {worstForward * 1000:F6} mm, max round trip {worstRoundTrip * 1000:F6} mm");
        Assert.InRange(worstForward, 0, Millimetre);
        Assert.InRange(worstRoundTrip, 0, Millimetre);
    }

    [Theory]
    [InlineData(4513, 75)]      // 3° zone 25, zone number in the easting
    [InlineData(4526, 114)]
    [InlineData(4533, 135)]
    [InlineData(4491, 75)]      // 6° zone 13
    [InlineData(4498, 117)]
    [InlineData(4502, 75)]      // 6° CM 75E, no prefix
    [InlineData(4509, 117)]
    [InlineData(4512, 135)]
    public void OtherCgcsGaussKrugerSystemsMatchProjWithinAMillimetre(int code, int centralMeridian)
    {
        var crs = CrsRegistry.Find($"EPSG:{code}")!;
        var (forward, roundTrip) = Errors(CrsRegistry.Find("CGCS2000")!, crs, Grid(centralMeridian, 3, 3, 54, 3));
        output.WriteLine($"{crs}: max |Δ| vs PROJ {forward * 1000:F6} mm, max round trip {roundTrip * 1000:F6} mm");
        Assert.InRange(forward, 0, Millimetre);
        Assert.InRange(roundTrip, 0, Millimetre);
    }

    [Fact]
    public void WebMercatorMatchesProjWithinAMillimetre()
    {
        var points = new List<(double X, double Y)>();
        for (var lon = -180.0; lon <= 180; lon += 15)
        {
            for (var lat = -85.0; lat <= 85; lat += 8.5) points.Add((lon, lat));
        }
        var (forward, roundTrip) = Errors(CrsRegistry.Wgs84, CrsRegistry.Find("EPSG:3857")!, points);
        output.WriteLine($"EPSG:3857: max |Δ| vs PROJ {forward * 1000:F6} mm, max round trip {roundTrip * 1000:F6} mm");
        Assert.InRange(forward, 0, Millimetre);
        Assert.InRange(roundTrip, 0, Millimetre);
    }

    [Fact]
    public void InverseProjectionsMatchProjWithinAMillimetre()
    {
        (string Code, double X, double Y)[] samples =
        [
            ("EPSG:32650", 584_102.134, 4_539_238.589), ("EPSG:32650", 166_000, 1_000), ("EPSG:32756", 834_000, 6_243_000),
            ("EPSG:4547", 200_000, 4_541_000), ("EPSG:4547", 810_000, 2_200_000), ("EPSG:4526", 38_836_579.208, 4_548_287.969),
            ("EPSG:3857", 13_135_699.91, 5_012_341.66),
        ];
        foreach (var group in samples.GroupBy(s => s.Code))
        {
            var crs = CrsRegistry.Find(group.Key)!;
            var points = group.Select(s => (s.X, s.Y)).ToList();
            var reference = Cs2cs.Transform(crs, CrsRegistry.Wgs84, points);
            for (var i = 0; i < points.Count; i++)
            {
                var (lon, lat) = crs.ToWgs84(points[i].X, points[i].Y);
                var error = GroundDistance(lon, lat, reference[i].X, reference[i].Y);
                Assert.True(error < Millimetre, $"{crs} ({points[i].X}, {points[i].Y}): {error * 1000:F3} mm from PROJ");
            }
        }
    }
}
