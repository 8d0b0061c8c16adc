using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;

namespace SituationMap.Analysis.Tests.Coverage;

/// <summary>
/// Sectors and visibility polygons on hand-built scenes in metres. Unoccluded areas are compared with π r² · FOV/360
/// times the chord factor of 1 chord per degree, (1 − θ²/6) with θ = 1° in radians (−5.1·10⁻⁵); tolerance 10⁻⁶ relative
/// on top of that. Occluded areas are compared with hand-computed values within 0.5 m² (the ±10⁻⁴° rays beside each
/// vertex and the chords where the shadow meets the arc).
/// </summary>
public sealed class CameraViewshedTests
{
    private static readonly WKTReader Wkt = new();
    private static readonly Coordinate Origin = new(0, 0);
    private static readonly double ChordFactor = 1 - Math.Pow(Math.PI / 180, 2) / 6;

    private static Coordinate AtCompass(double compassDeg, double distance) =>
        new(distance * Math.Sin(compassDeg * Math.PI / 180), distance * Math.Cos(compassDeg * Math.PI / 180));

    private static bool Sees(NetTopologySuite.Geometries.Geometry view, Coordinate target) =>
        view.Covers(view.Factory.CreatePoint(target));

    private static double SectorArea(double range, double fov) => Math.PI * range * range * fov / 360;

    [Fact]
    public void AHeadingOfZeroLooksNorthAndTheAreaIsTheSectorsWithinTheArcApproximation()
    {
        var sector = CameraViewshed.Sector(Origin, 0, 90, 100);
        Assert.Equal(SectorArea(100, 90) * ChordFactor, sector.Area, SectorArea(100, 90) * 1e-6);
        Assert.Equal(93, sector.NumPoints); // apex, 91 arc points (1 chord per degree), closing apex
        var env = sector.EnvelopeInternal;
        Assert.Equal(100, env.MaxY, 9);
        Assert.Equal(0, env.MinY, 9);
        Assert.Equal(-100 * Math.Sqrt(0.5), env.MinX, 9);
        Assert.Equal(100 * Math.Sqrt(0.5), env.MaxX, 9);
        Assert.True(Sees(sector, new Coordinate(0, 99)));
        Assert.False(Sees(sector, new Coordinate(0, -1)));
        Assert.False(Sees(sector, new Coordinate(80, 10)));
    }

    [Fact]
    public void AHeadingOfNinetyLooksEastBecauseHeadingsRunClockwiseFromNorth()
    {
        var sector = CameraViewshed.Sector(Origin, 90, 60, 50);
        Assert.Equal(SectorArea(50, 60) * ChordFactor, sector.Area, SectorArea(50, 60) * 1e-6);
        Assert.True(Sees(sector, new Coordinate(49, 0)));
        Assert.True(Sees(sector, AtCompass(119, 49)));
        Assert.False(Sees(sector, AtCompass(121, 49)));
        Assert.False(Sees(sector, new Coordinate(0, 49)));
        Assert.False(Sees(sector, new Coordinate(-10, 0)));
    }

    [Fact]
    public void AHeadingOf350WithFortyDegreesWrapsAcrossNorth()
    {
        var sector = CameraViewshed.Sector(Origin, 350, 40, 100);
        Assert.True(sector.IsValid);
        Assert.Equal(SectorArea(100, 40) * ChordFactor, sector.Area, SectorArea(100, 40) * 1e-6);
        Assert.True(Sees(sector, new Coordinate(0, 90)));
        Assert.True(Sees(sector, AtCompass(5, 90)));
        Assert.True(Sees(sector, AtCompass(335, 90)));
        Assert.False(Sees(sector, AtCompass(15, 90)));
        Assert.False(Sees(sector, AtCompass(325, 90)));
        Assert.Equal(sector.Area, CameraViewshed.Sector(Origin, -10, 40, 100).Area, 9);
    }

    [Fact]
    public void AFullCircleIsADiscAndMoreChordsPerDegreeShrinkTheError()
    {
        var disc = CameraViewshed.Sector(Origin, 123, 360, 200);
        Assert.Equal(SectorArea(200, 360) * ChordFactor, disc.Area, SectorArea(200, 360) * 1e-6);
        Assert.True(Sees(disc, new Coordinate(0, -199)));
        var finer = CameraViewshed.Sector(Origin, 0, 360, 200, segmentsPerDegree: 2);
        Assert.Equal(721, finer.NumPoints);
        Assert.Equal(SectorArea(200, 360) * (1 - Math.Pow(Math.PI / 360, 2) / 6), finer.Area, SectorArea(200, 360) * 1e-6);
    }

    [Fact]
    public void PtzAndDomeCamerasSeeTheFullCircleOrTheUnionOfTheirPresetSectors()
    {
        var ptz = CameraViewshed.Compute(new CameraSpec(Origin, 45, 60, 100, CameraKind.Ptz));
        Assert.Equal(SectorArea(100, 360) * ChordFactor, ptz.Area, 1e-3);
        var presets = CameraViewshed.Compute(new CameraSpec(Origin, 0, 60, 100, CameraKind.Dome, PresetHeadingsDeg: [0, 180, 20]));
        // 0° and 20° overlap on 40°: together −30°..50° (80°) plus 150°..210° (60°)
        Assert.Equal(SectorArea(100, 140), presets.Area, SectorArea(100, 140) * 2e-4);
        Assert.True(Sees(presets, AtCompass(45, 90)));
        Assert.True(Sees(presets, new Coordinate(0, -90)));
        Assert.False(Sees(presets, new Coordinate(90, 0)));
        Assert.False(Sees(presets, new Coordinate(-90, 0)));
    }

    [Theory]
    [InlineData(CameraStatus.Offline)]
    [InlineData(CameraStatus.Fault)]
    public void OfflineAndFaultyCamerasCoverNothing(CameraStatus status)
    {
        var view = CameraViewshed.Compute(new CameraSpec(Origin, 0, 90, 100, Status: status));
        Assert.True(view.IsEmpty);
        Assert.False(CameraViewshed.Covers(status));
        Assert.Single(CameraViewshed.Operational([new CameraSpec(Origin, 0, 90, 100, Status: status), new CameraSpec(Origin, 0, 90, 100)]));
    }

    [Fact]
    public void OutOfRangeSettingsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CameraViewshed.Compute(new CameraSpec(Origin, 0, 0, 100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CameraViewshed.Compute(new CameraSpec(Origin, 0, 361, 100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CameraViewshed.Compute(new CameraSpec(Origin, 0, 90, 1001)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CameraViewshed.Compute(new CameraSpec(Origin, double.NaN, 90, 100)));
    }

    [Fact]
    public void AWallBetweenTheCameraAndATargetHidesTheTargetAndItsShadowHasTheHandComputedArea()
    {
        var building = Wkt.Read("POLYGON ((-10 50, 10 50, 10 60, -10 60, -10 50))");
        var view = CameraViewshed.Compute(new CameraSpec(Origin, 0, 90, 100), [building]);
        Assert.True(view.IsValid);
        Assert.False(Sees(view, new Coordinate(0, 80)));   // behind the building
        Assert.False(Sees(view, new Coordinate(0, 55)));   // inside it
        Assert.True(Sees(view, new Coordinate(0, 40)));    // in front of it
        Assert.True(Sees(view, new Coordinate(30, 80)));   // beside the shadow (20.6° vs its 11.3° half-angle)
        // hidden: the sector of half-angle α = atan(10/50) out to 100 m minus the triangle in front of the wall
        var alpha = Math.Atan(0.2);
        var hidden = alpha * 100 * 100 - 0.5 * 20 * 50;
        Assert.Equal(SectorArea(100, 90) - hidden, view.Area, 2.0);
        var sameAsWall = CameraViewshed.Compute(new CameraSpec(Origin, 0, 90, 100), [Wkt.Read("LINESTRING (-10 50, 10 50)")]);
        Assert.Equal(view.Area, sameAsWall.Area, 1e-6);
    }

    [Fact]
    public void ATargetBehindABuildingCornerIsHiddenAndOneJustPastTheCornerIsVisible()
    {
        var building = Wkt.Read("POLYGON ((20 20, 40 20, 40 40, 20 40, 20 20))");
        var view = CameraViewshed.Compute(new CameraSpec(Origin, 45, 90, 100), [building]);
        // the building's shadow spans compass 26.57° ((20, 40)) to 63.43° ((40, 20))
        Assert.False(Sees(view, new Coordinate(60, 32)));  // 61.9°, 68 m: behind
        Assert.False(Sees(view, new Coordinate(30, 55)));  // 28.6°, 63 m: behind
        Assert.False(Sees(view, new Coordinate(50, 50)));  // straight behind the near corner
        Assert.True(Sees(view, new Coordinate(60, 25)));   // 67.4°: past the corner (40, 20)
        Assert.True(Sees(view, new Coordinate(25, 60)));   // 22.6°: past the corner (20, 40)
        Assert.True(Sees(view, new Coordinate(15, 15)));   // in front of the corner
        Assert.True(Sees(view, new Coordinate(40, 20)));   // the corner itself
    }

    [Fact]
    public void ACameraInACourtyardSeesOnlyTheCourtyard()
    {
        var block = Wkt.Read("POLYGON ((-50 -50, 50 -50, 50 50, -50 50, -50 -50), (-20 -20, 20 -20, 20 20, -20 20, -20 -20))");
        var view = CameraViewshed.Compute(new CameraSpec(Origin, 0, 360, 200, CameraKind.Dome), [block]);
        Assert.Equal(1600, view.Area, 1e-6);
        Assert.True(view.SymmetricDifference(Wkt.Read("POLYGON ((-20 -20, 20 -20, 20 20, -20 20, -20 -20))")).Area < 1e-6);

        // the same courtyard closed by four separate buildings
        var four = new[]
        {
            Wkt.Read("POLYGON ((-50 20, 50 20, 50 50, -50 50, -50 20))"),
            Wkt.Read("POLYGON ((-50 -50, 50 -50, 50 -20, -50 -20, -50 -50))"),
            Wkt.Read("POLYGON ((-50 -20, -20 -20, -20 20, -50 20, -50 -20))"),
            Wkt.Read("POLYGON ((20 -20, 50 -20, 50 20, 20 20, 20 -20))"),
        };
        var closed = CameraViewshed.Compute(new CameraSpec(new Coordinate(5, -3), 0, 360, 200, CameraKind.Ptz), four);
        Assert.Equal(1600, closed.Area, 1e-6);
        Assert.False(Sees(closed, new Coordinate(0, 30)));

        // a short range stays inside the courtyard: a whole disc
        var small = CameraViewshed.Compute(new CameraSpec(Origin, 0, 360, 10, CameraKind.Ptz), [block]);
        Assert.Equal(SectorArea(10, 360) * ChordFactor, small.Area, 1e-6);
    }

    [Fact]
    public void ACameraInsideASolidFootprintSeesNothingAndOneOnAFacadeSeesTheOutside()
    {
        var building = Wkt.Read("POLYGON ((-10 0, 10 0, 10 20, -10 20, -10 0))");
        Assert.True(CameraViewshed.Compute(new CameraSpec(new Coordinate(0, 10), 0, 360, 50, CameraKind.Ptz), [building]).IsEmpty);
        var facade = CameraViewshed.Compute(new CameraSpec(Origin, 0, 360, 50, CameraKind.Ptz), [building]);
        Assert.True(facade.IsValid);
        Assert.Equal(SectorArea(50, 180), facade.Area, 1.0);
        Assert.True(Sees(facade, new Coordinate(0, -30)));
        Assert.False(Sees(facade, new Coordinate(0, 10)));
        Assert.False(Sees(facade, new Coordinate(0, 40)));
    }

    [Fact]
    public void PrivacyMasksAreCutOutOfTheViewButDoNotCastShadows()
    {
        var mask = Wkt.Read("POLYGON ((-10 30, 10 30, 10 40, -10 40, -10 30))");
        var view = CameraViewshed.Compute(new CameraSpec(Origin, 0, 90, 100, PrivacyMasks: [mask]));
        Assert.Equal(SectorArea(100, 90) * ChordFactor - 200, view.Area, 1e-3);
        Assert.False(Sees(view, new Coordinate(0, 35)));
        Assert.True(Sees(view, new Coordinate(0, 50)));
        Assert.Equal(0, view.Intersection(mask).Area, 1e-9);
    }

    [Fact]
    public void ObstaclesOutOfRangeOrBehindTheCameraDoNotChangeTheView()
    {
        var behind = Wkt.Read("POLYGON ((-10 -30, 10 -30, 10 -20, -10 -20, -10 -30))");
        var far = Wkt.Read("POLYGON ((-10 130, 10 130, 10 140, -10 140, -10 130))");
        var viewshed = new CameraViewshed([behind, far]);
        Assert.Equal(2, viewshed.ObstacleCount);
        Assert.Equal(8, viewshed.EdgeCount);
        var view = viewshed.View(new CameraSpec(Origin, 0, 90, 100));
        Assert.Equal(CameraViewshed.Sector(Origin, 0, 90, 100).Area, view.Area, 1e-6);
    }

    [Fact]
    public void ManyCamerasInParallelGiveTheSameViewsAsOneByOne()
    {
        var buildings = Enumerable.Range(0, 25).Select(i => Wkt.Read(
            FormattableString.Invariant($"POLYGON (({i % 5 * 40} {i / 5 * 40}, {i % 5 * 40 + 25} {i / 5 * 40}, {i % 5 * 40 + 25} {i / 5 * 40 + 25}, {i % 5 * 40} {i / 5 * 40 + 25}, {i % 5 * 40} {i / 5 * 40}))"))).ToList();
        var random = new Random(6);
        var cameras = Enumerable.Range(0, 40).Select(_ => new CameraSpec(
            new Coordinate(30 + 40 * random.Next(4) + random.NextDouble() * 8, 30 + 40 * random.Next(4) + random.NextDouble() * 8),
            random.NextDouble() * 360, 30 + random.NextDouble() * 330, 20 + random.NextDouble() * 120)).ToList();
        var viewshed = new CameraViewshed(buildings);
        var views = viewshed.Views(cameras);
        for (var i = 0; i < cameras.Count; i++)
        {
            Assert.True(views[i].IsValid);
            Assert.Equal(viewshed.View(cameras[i]).Area, views[i].Area, 1e-9);
            Assert.True(views[i].Area <= CameraViewshed.Sector(cameras[i].Position, cameras[i].HeadingDeg, cameras[i].FieldOfViewDeg, cameras[i].RangeM).Area + 1e-6);
            foreach (var b in buildings) Assert.True(views[i].Intersection(b).Area < 1e-3, $"camera {i} sees into a building");
        }
    }
}
