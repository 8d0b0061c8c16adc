using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Domain;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed class ZoneTests
{
    [Fact]
    public void EveryZoneKindButDistrictIsPresent()
    {
        foreach (var kind in Enum.GetValues<ZoneKind>().Where(k => k != ZoneKind.District))
        {
            Assert.Contains(Layers.Zones, z => z.Kind == kind);
        }
        Assert.DoesNotContain(Layers.Zones, z => z.Kind == ZoneKind.District);
        Assert.InRange(Layers.Zones.Count(z => z.Kind == ZoneKind.ResidentialCommunity), 100, 400);
        Assert.InRange(Layers.Zones.Count(z => z.Kind == ZoneKind.UrbanVillage), 5, 15);
        Assert.InRange(Layers.Zones.Count(z => z.Kind == ZoneKind.UrbanRuralFringe), 3, 8);
        Assert.InRange(Layers.Zones.Count(z => z.Kind == ZoneKind.KeyFacility), 8, 20);
    }

    [Fact]
    public void ZonesAreValidWithTheDefaultTargetAndARiskLevel()
    {
        Assert.All(Layers.Zones, z =>
        {
            Assert.True(z.Area.IsValid && !z.Area.IsEmpty, $"{z.Name} is not a valid area");
            Assert.Equal(4326, z.Area.SRID);
            Assert.Equal(CoverageTargets.DefaultFor(z.Kind), z.CoverageTarget);
            Assert.InRange(z.RiskLevel, 1, 4);
            Assert.False(string.IsNullOrWhiteSpace(z.Name));
            Assert.False(string.IsNullOrWhiteSpace(z.NameEn));
        });
        Assert.Equal(Layers.Zones.Count, Layers.Zones.Select(z => z.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AZoneBelongsToTheDistrictContainingItsCentroid()
    {
        var locators = Layers.Districts.ToDictionary(d => d.Code, d => new IndexedPointInAreaLocator(d.Area), StringComparer.Ordinal);
        Assert.All(Layers.Zones, z =>
        {
            Assert.NotNull(z.DistrictCode);
            var centroid = z.Area.Centroid.Coordinate;
            var inside = locators[z.DistrictCode].Locate(centroid) != Location.Exterior
                || locators[z.DistrictCode].Locate(z.Area.InteriorPoint.Coordinate) != Location.Exterior;
            Assert.True(inside, $"{z.Name} is not in {z.DistrictCode}");
        });
    }

    [Fact]
    public void BlockZonesLieBetweenRoadsNotAcrossThem()
    {
        // communities, schools, facilities and crowded places are street blocks: no road may cross them
        // (tolerance: the zone shrunk by 1 m)
        var roads = new STRtree<LineString>();
        foreach (var r in Layers.Roads)
        {
            var line = Metric(r.Geometry);
            roads.Insert(line.EnvelopeInternal, line);
        }
        var blocks = Layers.Zones.Where(z => z.Kind is ZoneKind.ResidentialCommunity or ZoneKind.School or ZoneKind.KeyFacility or ZoneKind.CrowdedPublicPlace);
        Assert.All(blocks, z =>
        {
            var inner = Metric(z.Area).Buffer(-1);
            Assert.DoesNotContain(roads.Query(inner.EnvelopeInternal), line => line.Intersects(inner));
        });
    }

    [Fact]
    public void OutlyingZonesLieWhereTheyBelong()
    {
        var centre = Metric(City.Centroid);
        double DistanceKm(DemoZone z) => Metric(z.Area).Centroid.Distance(centre) / 1e3;
        var mines = Layers.Zones.Where(z => z.Kind == ZoneKind.MiningArea).ToList();
        Assert.All(mines, m =>
        {
            var c = Metric(m.Area).Centroid;
            Assert.True(c.X < centre.X && c.Y > centre.Y, $"{m.NameEn} is not north-west of the centre");
            Assert.True(DistanceKm(m) > 6, $"{m.NameEn} is not in the outskirts");
        });
        var villages = Layers.Zones.Where(z => z.Kind == ZoneKind.UrbanVillage).Select(DistanceKm).Average();
        var fringes = Layers.Zones.Where(z => z.Kind == ZoneKind.UrbanRuralFringe).Select(DistanceKm).Average();
        Assert.True(fringes > villages + 1, $"fringes ({fringes:F1} km) should lie beyond the urban villages ({villages:F1} km)");
    }
}
