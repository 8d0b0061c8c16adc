using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed class DistrictTests
{
    [Fact]
    public void ThereAreSixToEightValidDistrictsWithUniqueCodesAndBilingualNames()
    {
        var districts = Layers.Districts;
        Assert.InRange(districts.Count, 6, 8);
        Assert.Equal(districts.Count, districts.Select(d => d.Code).Distinct(StringComparer.Ordinal).Count());
        foreach (var d in districts)
        {
            Assert.Matches("^[A-Z]{2}$", d.Code);
            Assert.EndsWith("区", d.Name, StringComparison.Ordinal);
            Assert.EndsWith(" District", d.NameEn, StringComparison.Ordinal);
            Assert.True(d.Area.IsValid, $"{d.Code} is not valid");
            Assert.Equal(4326, d.Area.SRID);
            Assert.InRange(Metric(d.Area).Area / 1e6, 20, 120); // km²
        }
    }

    [Fact]
    public void DistrictsDoNotOverlap()
    {
        // tolerance: 1 m² of shared area per pair (rounding to 1e-7° may move a shared vertex by a centimetre)
        var metric = Layers.Districts.Select(d => Metric(d.Area)).ToArray();
        for (var a = 0; a < metric.Length; a++)
        {
            for (var b = a + 1; b < metric.Length; b++)
            {
                var shared = metric[a].Intersection(metric[b]).Area;
                Assert.True(shared < 1.0, $"{Layers.Districts[a].Code} and {Layers.Districts[b].Code} overlap by {shared:F2} m²");
            }
        }
    }

    [Fact]
    public void DistrictsTileTheCityWithoutGaps()
    {
        // one polygon, no holes bigger than 1 m², about 24 km × 20 km
        var city = Metric(City);
        var polygons = Enumerable.Range(0, city.NumGeometries).Select(i => (Polygon)city.GetGeometryN(i)).Where(p => p.Area > 1).ToArray();
        Assert.Single(polygons);
        Assert.All(polygons[0].InteriorRings, hole => Assert.True(hole.Length < 4, "a gap between districts"));
        var envelope = city.EnvelopeInternal;
        Assert.InRange(envelope.Width / 1e3, 20, 28);
        Assert.InRange(envelope.Height / 1e3, 16, 24);
        Assert.InRange(City.Centroid.X, 114.8, 115.0);
        Assert.InRange(City.Centroid.Y, 40.7, 40.9);
    }

    [Fact]
    public void DistrictsCoverEveryRoadCameraUnitAndZone()
    {
        var city = PreparedGeometryFactory.Prepare(City);
        Assert.All(Layers.Roads, r => Assert.True(city.Covers(r.Geometry), $"road {r.Name} leaves the city"));
        Assert.All(Layers.Cameras, c => Assert.True(city.Covers(c.Location), $"{c.Name} is outside the city"));
        Assert.All(Layers.PatrolUnits, u => Assert.True(city.Covers(u.Position), $"{u.CallSign} is outside the city"));
        Assert.All(Layers.PatrolRoutes, r => Assert.True(city.Covers(r.Geometry), $"{r.Name} leaves the city"));
        Assert.All(Layers.Zones, z => Assert.True(city.Covers(z.Area), $"{z.Name} leaves the city"));
    }

    [Fact]
    public void EveryIncidentLiesInTheDistrictItNames()
    {
        var locators = Layers.Districts.ToDictionary(d => d.Code, d => new IndexedPointInAreaLocator(d.Area), StringComparer.Ordinal);
        var misplaced = Incidents.Count(i => i.DistrictCode is null || locators[i.DistrictCode].Locate(i.Location.Coordinate) == Location.Exterior);
        Assert.Equal(0, misplaced);
    }

    [Fact]
    public void CamerasNameTheDistrictTheyStandIn()
    {
        var locators = Layers.Districts.ToDictionary(d => d.Code, d => new IndexedPointInAreaLocator(d.Area), StringComparer.Ordinal);
        Assert.All(Layers.Cameras, c => Assert.NotEqual(Location.Exterior, locators[c.DistrictCode!].Locate(c.Location.Coordinate)));
    }
}
