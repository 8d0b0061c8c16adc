using System.Globalization;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Domain;
using static SituationMap.DemoCity.Tests.DemoCityUnderTest;

namespace SituationMap.DemoCity.Tests;

public sealed class BuildingTests
{
    /// <summary>The footprints in metres (UTM zone 50N), in layer order.</summary>
    private static readonly Lazy<Polygon[]> LazyFootprints = new(() => Layers.Buildings.Select(b => Metric(b.Footprint)).ToArray());

    private static readonly Lazy<STRtree<int>> LazyIndex = new(() =>
    {
        var index = new STRtree<int>();
        for (var k = 0; k < Footprints.Length; k++) index.Insert(Footprints[k].EnvelopeInternal, k);
        index.Build();
        return index;
    });

    private static Polygon[] Footprints => LazyFootprints.Value;

    private static STRtree<int> Index => LazyIndex.Value;

    [Fact]
    public void TheSameSeedGivesTheSameBuildings()
    {
        var again = DemoCityGenerator.GenerateLayers(Options).Buildings;
        Assert.Equal(Layers.Buildings.Count, again.Count);
        for (var k = 0; k < again.Count; k++)
        {
            var (a, b) = (Layers.Buildings[k], again[k]);
            Assert.True(
                a.Id == b.Id && a.Kind == b.Kind && a.Levels == b.Levels && a.HeightM == b.HeightM && a.DistrictCode == b.DistrictCode
                && a.Footprint.EqualsExact(b.Footprint),
                $"building {k} differs between two runs");
        }
    }

    [Fact]
    public void ADifferentSeedGivesDifferentBuildings()
    {
        var other = DemoCityGenerator.GenerateLayers(Options with { Seed = DemoCityOptions.DefaultSeed + 1 }).Buildings;
        Assert.InRange(other.Count, 10_000, 30_000);
        var same = Layers.Buildings.Zip(other).Count(p => p.First.Footprint.EqualsExact(p.Second.Footprint));
        Assert.True(same < 10, $"{same} footprints are the same for two seeds");
    }

    [Fact]
    public void BuildingsAreValidPolygonsWithSensibleAttributes()
    {
        var locators = Layers.Districts.ToDictionary(d => d.Code, d => new IndexedPointInAreaLocator(d.Area), StringComparer.Ordinal);
        for (var k = 0; k < Layers.Buildings.Count; k++)
        {
            var b = Layers.Buildings[k];
            Assert.Equal("B" + (k + 1).ToString("D6", CultureInfo.InvariantCulture), b.Id);
            Assert.Equal(4326, b.Footprint.SRID);
            Assert.True(b.Footprint.IsValid, $"{b.Id} is not a valid polygon");
            Assert.InRange(b.Footprint.ExteriorRing.NumPoints, 5, 7); // rectangles and L-shapes; courtyards add a hole
            Assert.InRange(b.Footprint.NumInteriorRings, 0, 1);
            Assert.InRange(Footprints[k].Area, 15, 25_000);
            Assert.InRange(b.Levels, 1, 40);
            // storeys of 2.8–12 m (sheds and halls are tall) plus a parapet or roof
            Assert.InRange(b.HeightM, (b.Levels * 2.8) + 0.5, (b.Levels * 12) + 1.5);
            Assert.NotNull(b.DistrictCode);
            Assert.True(locators[b.DistrictCode].Locate(b.Footprint.Centroid.Coordinate) != Location.Exterior, $"{b.Id} is not in {b.DistrictCode}");
        }
    }

    [Fact]
    public void BuildingsLieInsideTheCity()
    {
        var city = PreparedGeometryFactory.Prepare(City);
        Assert.All(Layers.Buildings, b => Assert.True(city.Covers(b.Footprint), $"{b.Id} leaves the city"));
    }

    [Fact]
    public void NoTwoBuildingsOverlapOrTouch()
    {
        for (var a = 0; a < Footprints.Length; a++)
        {
            var search = Footprints[a].EnvelopeInternal.Copy();
            search.ExpandBy(0.5);
            foreach (var b in Index.Query(search))
            {
                if (b <= a) continue;
                Assert.False(Footprints[a].IsWithinDistance(Footprints[b], 0.5),
                    $"{Layers.Buildings[a].Id} and {Layers.Buildings[b].Id} are less than 0.5 m apart");
            }
        }
    }

    [Fact]
    public void NoBuildingStandsOnARoadSurface()
    {
        // the road surface is the centreline buffered by half the road width of its class; every building keeps at
        // least another metre from it (the setback)
        var checkedPieces = 0;
        foreach (var road in Layers.Roads)
        {
            var line = Metric(road.Geometry);
            for (var k = 0; k + 1 < line.NumPoints; k++)
            {
                var piece = line.Factory.CreateLineString([line.GetCoordinateN(k), line.GetCoordinateN(k + 1)]);
                var surface = piece.Buffer(road.WidthM / 2);
                var near = surface.EnvelopeInternal.Copy();
                near.ExpandBy(1);
                foreach (var b in Index.Query(near))
                {
                    Assert.False(surface.Intersects(Footprints[b]), $"{Layers.Buildings[b].Id} stands on {road.NameEn}");
                    Assert.True(piece.Distance(Footprints[b]) >= (road.WidthM / 2) + 1, $"{Layers.Buildings[b].Id} is not set back from {road.NameEn}");
                }
                checkedPieces++;
            }
        }
        Assert.True(checkedPieces > 5_000, $"only {checkedPieces} road pieces");
    }

    [Fact]
    public void NoCameraStandsInsideOrAgainstABuilding()
    {
        // a camera inside a footprint would see nothing; buildings keep 2 m from cameras (1.5 m after rounding)
        foreach (var camera in Layers.Cameras)
        {
            var point = Metric(camera.Location);
            var near = point.EnvelopeInternal.Copy();
            near.ExpandBy(1.5);
            foreach (var b in Index.Query(near))
            {
                Assert.False(Footprints[b].IsWithinDistance(point, 1.5), $"{camera.Name} stands in or against {Layers.Buildings[b].Id}");
            }
        }
    }

    [Fact]
    public void RoadWidthsFollowTheRoadClass()
    {
        var widths = Layers.Roads.GroupBy(r => r.Class, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.WidthM).Distinct().Single(), StringComparer.Ordinal);
        Assert.Equal(40, widths["trunk"]);
        Assert.Equal(30, widths["primary"]);
        Assert.Equal(24, widths["secondary"]);
        Assert.Equal(16, widths["tertiary"]);
        Assert.Equal(10, widths["residential"]);
    }

    [Fact]
    public void CourtyardBlocksExistAndTheirCourtyardsHoldNoOtherBuilding()
    {
        var courtyards = Enumerable.Range(0, Footprints.Length).Where(k => Footprints[k].NumInteriorRings > 0).ToList();
        Assert.True(courtyards.Count >= 300, $"only {courtyards.Count} perimeter blocks");
        // small courtyard houses (urban villages, hamlets) and large perimeter blocks (core, compounds) both occur
        Assert.True(courtyards.Count(k => Footprints[k].Area < 400) >= 100, "too few courtyard houses");
        Assert.True(courtyards.Count(k => Footprints[k].Area > 2_000) >= 20, "too few large perimeter blocks");
        foreach (var k in courtyards)
        {
            var hole = Footprints[k].Factory.CreatePolygon((LinearRing)Footprints[k].GetInteriorRingN(0));
            Assert.True(hole.Area >= 25, $"{Layers.Buildings[k].Id} has a courtyard of {hole.Area:F0} m²");
            foreach (var other in Index.Query(hole.EnvelopeInternal))
            {
                if (other != k) Assert.False(hole.Intersects(Footprints[other]), $"{Layers.Buildings[other].Id} stands in the courtyard of {Layers.Buildings[k].Id}");
            }
        }
    }

    [Fact]
    public void TheCityHasARealisticNumberOfBuildingsOfEveryKind()
    {
        Assert.InRange(Layers.Buildings.Count, 10_000, 30_000);
        foreach (var kind in Enum.GetValues<BuildingKind>())
        {
            Assert.True(Layers.Buildings.Count(b => b.Kind == kind) >= 100, $"fewer than 100 {kind} buildings");
        }
        Assert.True(Layers.Buildings.Count(b => b.Kind == BuildingKind.Residential) > Layers.Buildings.Count / 2, "residential buildings are not the majority");
        Assert.Contains(Layers.Buildings, b => b.Levels >= 26);
        // buildings fill the built-up area, not the countryside: most stand within 7 km of the old town
        var centre = Metric(City.Centroid).Coordinate;
        var near = Footprints.Count(f => f.Centroid.Coordinate.Distance(centre) < 7_000);
        Assert.True(near > Footprints.Length * 0.75, $"only {near} of {Footprints.Length} buildings are within 7 km of the centre");
    }

    [Fact]
    public void DensityAndSizeFollowTheZoneKind()
    {
        var stats = Enum.GetValues<ZoneKind>().ToDictionary(k => k, k => ZoneStatistics(k));
        var village = stats[ZoneKind.UrbanVillage];
        var community = stats[ZoneKind.ResidentialCommunity];
        var facility = stats[ZoneKind.KeyFacility];
        var mining = stats[ZoneKind.MiningArea];
        var fringe = stats[ZoneKind.UrbanRuralFringe];

        // urban villages: small low buildings packed along narrow lanes
        Assert.InRange(village.PerKm2, 1_500, 5_000);
        Assert.InRange(village.Coverage, 0.3, 0.75);
        Assert.InRange(village.MeanFootprintM2, 80, 400);
        Assert.InRange(village.MedianLevels, 1, 4);
        // residential communities: slabs and towers with sunlight spacing
        Assert.InRange(community.PerKm2, 40, 600);
        Assert.InRange(community.Coverage, 0.1, 0.4);
        Assert.InRange(community.MeanFootprintM2, 400, 3_000);
        Assert.InRange(community.MedianLevels, 6, 33);
        // key facilities and mining areas: few large footprints
        Assert.InRange(facility.MeanFootprintM2, 1_000, 15_000);
        Assert.True(mining.Count > 0, "no buildings in the mining areas");
        Assert.InRange(mining.PerKm2, 1, 100);
        Assert.InRange(mining.MeanFootprintM2, 600, 10_000);
        // the urban–rural fringe is sparse
        Assert.InRange(fringe.Coverage, 0.005, 0.1);
        Assert.True(village.PerKm2 > 4 * community.PerKm2, $"villages ({village.PerKm2:F0}/km²) are not much denser than communities ({community.PerKm2:F0}/km²)");
        Assert.True(fringe.PerKm2 < village.PerKm2 / 4, $"fringes ({fringe.PerKm2:F0}/km²) are not sparse");
    }

    [Fact]
    public void TheExportedSampleIsTheOldTown()
    {
        var sample = DemoCityExport.BuildingSample(Layers).ToList();
        Assert.InRange(sample.Count, 2_000, Layers.Buildings.Count / 2);
        var centre = Projection.ToMetric(114.9, 40.8);
        Assert.All(sample, b => Assert.True(Metric(b.Footprint).Centroid.Coordinate.Distance(centre) <= DemoCityExport.BuildingSampleRadiusM + 1));
        Assert.Equal(sample.Select(b => b.Id), sample.Select(b => b.Id).Order(StringComparer.Ordinal));
    }

    private sealed record Statistics(int Count, double PerKm2, double Coverage, double MeanFootprintM2, int MedianLevels);

    /// <summary>Buildings whose centroid lies in a zone of the kind: count, count per km², share of the zones' area
    /// built on (courtyards excluded), mean footprint, median levels.</summary>
    private static Statistics ZoneStatistics(ZoneKind kind)
    {
        var zones = Layers.Zones.Where(z => z.Kind == kind).Select(z => Metric(z.Area)).ToList();
        if (zones.Count == 0) return new Statistics(0, 0, 0, 0, 0);
        var area = zones.Sum(z => z.Area);
        var inside = new List<int>();
        foreach (var zone in zones)
        {
            var locator = new IndexedPointInAreaLocator(zone);
            foreach (var k in Index.Query(zone.EnvelopeInternal))
            {
                if (locator.Locate(Footprints[k].Centroid.Coordinate) != Location.Exterior) inside.Add(k);
            }
        }
        inside = inside.Distinct().ToList();
        if (inside.Count == 0) return new Statistics(0, 0, 0, 0, 0);
        var footprint = inside.Sum(k => Footprints[k].Area);
        var levels = inside.Select(k => Layers.Buildings[k].Levels).Order().ToList();
        return new Statistics(inside.Count, inside.Count / (area / 1e6), footprint / area, footprint / inside.Count, levels[levels.Count / 2]);
    }
}
