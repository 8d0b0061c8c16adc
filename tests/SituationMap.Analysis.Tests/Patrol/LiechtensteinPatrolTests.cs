using System.Diagnostics;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;
using SituationMap.Analysis.Tests.Routing;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Patrol;

/// <summary>
/// Route suggestion and hotspot reach at full size on the Liechtenstein road graph (OSM 2013; needs
/// ../shared/geodata-external/osm-liechtenstein, else the tests write SKIPPED and return): 200 candidate cells.
/// </summary>
public sealed class LiechtensteinPatrolTests(ITestOutputHelper output)
{
    private static HotCellTarget[] Candidates(RoadGraph graph, int count, int seed)
    {
        // Random nodes of the car graph around the centre of the country (Vaduz–Schaan), priorities 1–9.
        var random = new Random(seed);
        var centre = graph.Nodes.Aggregate(new Envelope(), (e, c) => { e.ExpandToInclude(c); return e; }).Centre;
        var near = Enumerable.Range(0, graph.NodeCount).Where(v => graph.Nodes[v].Distance(centre) < 6000
            && graph.Out(TravelMode.Car).First[v + 1] > graph.Out(TravelMode.Car).First[v]).ToArray();
        return [.. Enumerable.Range(0, count).Select(i => new HotCellTarget($"h{i}", graph.Nodes[near[random.Next(near.Length)]].Copy(), random.Next(1, 10)))];
    }

    [Fact]
    public void AShiftLoopThroughTwoHundredCandidatesStaysWithinItsBudget()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, car)) return;
        var candidates = Candidates(graph, 200, 5);
        var start = candidates[0].Centroid;
        var budget = TimeSpan.FromHours(8).TotalSeconds - 1800;
        var watch = Stopwatch.StartNew();
        var loop = RouteSuggestion.Suggest(car, start, candidates, budget);
        output.WriteLine($"{loop.Stops.Count} stops, priority {loop.CollectedPriority}, travel {loop.TravelSeconds / 60:0} min, " +
            $"dwell {loop.DwellSeconds / 60:0} min, {loop.Geometry.Length / 1000:0.0} km, {loop.Unreachable.Count} unreachable, {watch.ElapsedMilliseconds} ms");
        Assert.True(loop.TotalSeconds <= budget + 1e-6);
        Assert.True(loop.Stops.Count >= 30, "with 12 min per stop an 7.5 h budget holds at most 37 stops; most should be used");
        Assert.True(loop.Geometry.Length > 0);
        Assert.True(loop.Stops.All(s => loop.Geometry.Distance(new Point(s.Position)) < 1e-6));
    }

    [Fact]
    public void HotspotReachOfAVehicleRouteOnRealRoads()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, car)) return;
        var candidates = Candidates(graph, 200, 6);
        // A route along the fastest way between the first two candidates (of a shifting pair) with a way of over 2 km.
        var (a, b, path) = Enumerable.Range(0, 100).Select(i =>
        {
            var path = car.Path(graph.Snap(candidates[i].Centroid, TravelMode.Car)!.Node, graph.Snap(candidates[i + 1].Centroid, TravelMode.Car)!.Node);
            return (A: $"h{i}", B: $"h{i + 1}", Path: path);
        }).First(x => x.Path is { } p && p.Edges.Sum(e => graph.EdgeLength[e]) > 2000);
        var coordinates = new CoordinateList();
        for (var i = 0; i < path!.Edges.Count; i++)
        {
            var edge = graph.EdgeGeometry[path.Edges[i]].Coordinates;
            coordinates.Add(graph.EdgeFrom[path.Edges[i]] == path.Nodes[i] ? edge : [.. edge.Reverse()], allowRepeated: false);
        }
        var line = new GeometryFactory().CreateLineString(coordinates.ToCoordinateArray());
        var route = new PatrolRouteLine("r", PatrolLevel.City, PatrolMode.Vehicle, line);
        var watch = Stopwatch.StartNew();
        var three = HotspotReach.Compute(graph, candidates, [route], 180);
        var ten = HotspotReach.Compute(graph, candidates, [route], 600);
        output.WriteLine($"route {line.Length / 1000:0.0} km: {three.Levels[0].Share:P0} of cells within 3 min, {ten.Levels[0].Share:P0} within 10 min ({watch.ElapsedMilliseconds} ms)");
        Assert.Contains(a, three.Levels[0].CellsReached);
        Assert.Contains(b, three.Levels[0].CellsReached);
        Assert.True(ten.Levels[0].CellsReached.Count >= three.Levels[0].CellsReached.Count);
        Assert.True(three.Levels[0].CellsReached.All(ten.Levels[0].CellsReached.Contains));
        // Every reached cell really is within the limit of some point of the route (Dijkstra from all route nodes).
        var tree = Dijkstra.Search(graph, TravelMode.Car, path.Nodes.Select(v => (v, 0.0)));
        foreach (var id in three.Levels[0].CellsReached)
        {
            var cell = graph.Snap(candidates.Single(c => c.Id == id).Centroid, TravelMode.Car)!;
            var seconds = graph.Arrivals(cell, TravelMode.Car).Min(a => tree.Seconds[a.Node] + a.Seconds);
            Assert.True(seconds <= 180 + 1e-6 || line.Distance(new Point(cell.Point)) <= HotspotReach.DefaultRouteSnapM, $"{id}: {seconds} s");
        }
    }
}
