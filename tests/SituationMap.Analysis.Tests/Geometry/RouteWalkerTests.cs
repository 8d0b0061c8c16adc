using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Tests.Geometry;

public sealed class RouteWalkerTests
{
    private static readonly WKTReader Wkt = new();

    [Fact]
    public void WalksAroundASquareLoopWithHeadingsInCompassDegrees()
    {
        var walker = new RouteWalker((LineString)Wkt.Read("LINESTRING (0 0, 0 100, 100 100, 100 0, 0 0)"));
        Assert.Equal(400, walker.Length);
        Assert.True(walker.IsLoop);
        var (p, h) = walker.At(50);
        Assert.Equal(new Coordinate(0, 50), p);
        Assert.Equal(0, h, 6);                       // north
        Assert.Equal(90, walker.At(150).HeadingDeg, 6);  // east
        Assert.Equal(180, walker.At(250).HeadingDeg, 6); // south
        Assert.Equal(270, walker.At(350).HeadingDeg, 6); // west
        Assert.Equal(new Coordinate(0, 50), walker.At(450).Position);   // wraps around
        Assert.Equal(new Coordinate(50, 0), walker.At(-50).Position);
        Assert.Equal(180, walker.At(50, forward: false).HeadingDeg, 6);
    }

    [Fact]
    public void OpenRoutesStopAtTheirEnds()
    {
        var walker = new RouteWalker((LineString)Wkt.Read("LINESTRING (0 0, 30 40)"));
        Assert.False(walker.IsLoop);
        Assert.Equal(new Coordinate(30, 40), walker.At(80).Position);
        Assert.Equal(new Coordinate(0, 0), walker.At(-5).Position);
        Assert.Equal(Math.Atan2(30, 40) * 180 / Math.PI, walker.At(25).HeadingDeg, 6);
    }

    [Fact]
    public void LocateFindsTheDistanceOfTheNearestPointOnTheRoute()
    {
        var walker = new RouteWalker((LineString)Wkt.Read("LINESTRING (0 0, 0 100, 100 100)"));
        Assert.Equal(130, walker.Locate(new Coordinate(30, 110)), 6);
    }

    [Fact]
    public void TheMainLineOfAMultiLineIsTheLongestPart() =>
        Assert.Equal(100, RouteWalker.MainLine(Wkt.Read("MULTILINESTRING ((0 0, 0 10), (0 0, 100 0))")).Length);
}
