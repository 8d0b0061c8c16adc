using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Tests.Patrol;

/// <summary>
/// Reach on a 400 m grid of two-way streets every 100 m (maxspeed 36 km/h: cars 10 m/s; pedestrians 5 km/h everywhere).
/// A city vehicle route runs along y = 0, a community foot route along x = 400. Cells: c1 (250, 10) beside the city route,
/// c2 (200, 200) on a junction, c3 (0, 400) in the far corner, c4 far off the grid, c5 (390, 250) beside the foot route.
/// </summary>
public sealed class HotspotReachTests
{
    private static readonly WKTReader Wkt = new();

    private static readonly RoadGraph Graph = BuildGraph();

    private static RoadGraph BuildGraph()
    {
        var lines = new List<RoadLine>();
        for (var k = 0; k <= 4; k++)
        {
            for (var j = 0; j < 4; j++)
            {
                // Separate 100 m blocks so every junction is a node.
                lines.Add(RoadLine.FromLayer([new Coordinate(100 * j, 100 * k), new Coordinate(100 * (j + 1), 100 * k)], "residential", false, 36));
                lines.Add(RoadLine.FromLayer([new Coordinate(100 * k, 100 * j), new Coordinate(100 * k, 100 * (j + 1))], "residential", false, 36));
            }
        }
        return RoadGraph.Build(lines);
    }

    private static readonly HotCellTarget[] Cells =
    [
        new("c1", new Coordinate(250, 10), 3),
        new("c2", new Coordinate(200, 200), 2),
        new("c3", new Coordinate(0, 400), 1),
        new("c4", new Coordinate(5000, 5000), 1),
        new("c5", new Coordinate(390, 250), 2),
    ];

    private static readonly PatrolRouteLine[] Routes =
    [
        new("city-1", PatrolLevel.City, PatrolMode.Vehicle, Wkt.Read("LINESTRING (0 0, 400 0)")),
        new("community-1", PatrolLevel.Community, PatrolMode.Foot, Wkt.Read("MULTILINESTRING ((400 0, 400 400))")),
    ];

    [Fact]
    public void CellsWithinTheTravelTimeOfALevelsRoutesAreReachedByThatLevel()
    {
        // By car from y = 0: c1 on the route's edge 0 s, c2 200 m = 20 s, c5 250 m = 25 s, c3 400 m = 40 s.
        // On foot (1.389 m/s) from x = 400 in 30 s (41.7 m): only c5, on the route's own edge.
        var report = HotspotReach.Compute(Graph, Cells, Routes, limit: 30);
        var city = report.Levels.Single(l => l.Level == PatrolLevel.City);
        Assert.Equal(["c1", "c2", "c5"], city.CellsReached);
        Assert.Equal(0.6, city.Share, 12);
        Assert.Equal(7.0 / 9, city.PriorityShare, 12);
        Assert.Equal(1, city.RouteCount);
        var district = report.Levels.Single(l => l.Level == PatrolLevel.District);
        Assert.Empty(district.CellsReached);
        Assert.Equal(0, district.RouteCount);
        Assert.Equal(["c5"], report.Levels.Single(l => l.Level == PatrolLevel.Community).CellsReached);
        Assert.Equal(["c3", "c4"], report.ReachedByNoLevel);
        Assert.Equal(0, report.Cells[0].ByLevel[PatrolLevel.City], 1e-9);
        Assert.Equal(20, report.Cells[1].ByLevel[PatrolLevel.City], 1e-9);
        Assert.Equal(25, report.Cells[4].ByLevel[PatrolLevel.City], 1e-9);
        Assert.Equal(0, report.Cells[4].ByLevel[PatrolLevel.Community], 1e-9);
        // 40 s takes the city level to c3 as well; c4 (no road within 250 m) stays unreached.
        Assert.Equal(["c4"], HotspotReach.Compute(Graph, Cells, Routes, limit: 40).ReachedByNoLevel);
    }

    [Fact]
    public void ANetworkDistanceLimitMeasuresMetresAlongTheRoadsOfTheMode()
    {
        // Within 250 m: the city route reaches c1 (0), c2 (200) and c5 (250); the foot route c1 (150), c2 (200) and c5 (0).
        var report = HotspotReach.Compute(Graph, Cells, Routes, limit: 250, ReachMeasure.NetworkMetres);
        Assert.Equal(["c1", "c2", "c5"], report.Levels[0].CellsReached);
        Assert.Equal(["c1", "c2", "c5"], report.Levels[2].CellsReached);
        Assert.Equal(150, report.Cells[0].ByLevel[PatrolLevel.Community], 1e-9);
        Assert.Equal(250, report.Cells[4].ByLevel[PatrolLevel.City], 1e-9);
        // (210, 100) on the street y = 100: 100 m north from (200, 0), then 10 m east.
        var x = HotspotReach.Compute(Graph, [new("x", new Coordinate(210, 100), 1)], Routes, 250, ReachMeasure.NetworkMetres);
        Assert.Equal(110, x.Cells[0].ByLevel[PatrolLevel.City], 1e-9);
    }

    [Fact]
    public void ARouteFarFromEveryRoadReachesNothingAndTheBestOfSeveralRoutesCounts()
    {
        var lost = new PatrolRouteLine("lost", PatrolLevel.District, PatrolMode.Bicycle, Wkt.Read("LINESTRING (1000 1000, 1200 1000)"));
        var report = HotspotReach.Compute(Graph, Cells, [.. Routes, lost], limit: 1000);
        Assert.Empty(report.Levels.Single(l => l.Level == PatrolLevel.District).CellsReached);
        // A second city route along y = 400 brings c3 to 0 s.
        var north = new PatrolRouteLine("city-2", PatrolLevel.City, PatrolMode.Vehicle, Wkt.Read("LINESTRING (0 400, 400 400)"));
        Assert.Equal(0, HotspotReach.Compute(Graph, Cells, [.. Routes, north], limit: 30).Cells[2].ByLevel[PatrolLevel.City], 1e-9);
    }

    [Fact]
    public void OnewayStreetsCountForVehiclesButNotOnFoot()
    {
        // A oneway street east from (0, 0) to (1000, 0) and a two-way loop back round y = 500. The route covers 500–600 m
        // of the oneway; a cell at (300, 10) lies behind it: by car 400 m on, 2,000 m round, 300 m in = 270 s; on foot
        // 200 m back = 144 s.
        var graph = RoadGraph.Build(
        [
            RoadLine.FromLayer([new Coordinate(0, 0), new Coordinate(1000, 0)], "residential", oneWay: true, 36),
            RoadLine.FromLayer([new Coordinate(1000, 0), new Coordinate(1000, 500), new Coordinate(0, 500), new Coordinate(0, 0)], "residential", false, 36),
        ]);
        HotCellTarget[] cells = [new("behind", new Coordinate(300, 10), 1)];
        var line = Wkt.Read("LINESTRING (500 0, 600 0)");
        PatrolRouteLine[] routes = [new("car", PatrolLevel.City, PatrolMode.Vehicle, line), new("foot", PatrolLevel.Community, PatrolMode.Foot, line)];
        var report = HotspotReach.Compute(graph, cells, routes, limit: 300);
        Assert.Equal(270, report.Cells[0].ByLevel[PatrolLevel.City], 1e-9);
        Assert.Equal(200 / (5 / 3.6), report.Cells[0].ByLevel[PatrolLevel.Community], 1e-9);
        Assert.Equal([PatrolLevel.Community], HotspotReach.Compute(graph, cells, routes, limit: 200).Cells[0].ByLevel.Keys);
    }
}
