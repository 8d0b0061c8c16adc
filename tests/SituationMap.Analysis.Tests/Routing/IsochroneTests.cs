using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Routing;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>
/// Isochrones: the reachable nodes are exactly those within the band's time (checked against the contraction hierarchy),
/// edges are cut at the exact position, and the polygon is valid, contains every reachable node and no node farther than
/// the buffer distance plus the grid tolerance (0.75 cell) from everything reachable, lies between the exact buffers
/// shrunk and grown by that tolerance, has nearly the exact buffer's area, and contains the shorter bands' polygons (see
/// <see cref="Isochrones"/> for the definition of inside).
/// </summary>
public sealed class IsochroneTests(ITestOutputHelper output)
{
    private static Coordinate C(double x, double y) => new(x, y);

    [Fact]
    public void SourcesOfSeveralModesGiveTheUnionOfTheirReaches()
    {
        var graph = ContractionHierarchyTests.RandomGrid(31, 10);
        var random = new Random(31);
        List<RoadPosition> Units(TravelMode mode) => [.. Enumerable.Range(0, 4).Select(_ => graph.Snap(new Coordinate(random.NextDouble() * 900, random.NextDouble() * 900), mode)).OfType<RoadPosition>()];
        var (cars, walkers) = (Units(TravelMode.Car), Units(TravelMode.Foot));
        double[] bands = [60, 180];
        var both = Isochrones.Compute(graph, [(TravelMode.Car, cars), (TravelMode.Foot, walkers)], bands);
        var byCar = Isochrones.Compute(graph, TravelMode.Car, cars, bands);
        var onFoot = Isochrones.Compute(graph, TravelMode.Foot, walkers, bands);
        for (var b = 0; b < bands.Length; b++)
        {
            Assert.Equal(byCar[b].Nodes.Union(onFoot[b].Nodes).Order(), both[b].Nodes);
            Assert.Equal(byCar[b].Pieces.Count + onFoot[b].Pieces.Count, both[b].Pieces.Count);
            Assert.True(both[b].Area!.IsValid);
            var union = byCar[b].Area!.Union(onFoot[b].Area!);
            output.WriteLine($"{bands[b]} s: one grid {both[b].Area!.Area:0} m², overlay of the two {union.Area:0} m²");
            Assert.Equal(union.Area, both[b].Area!.Area, union.Area * 0.02); // two grids vs one: within the cells' tolerance
        }
    }

    [Fact]
    public void EdgesAreCutWhereTheTimeRunsOut()
    {
        // 36 km/h = 10 m/s; nodes at 0, 200, 500 and 1000 m; 30 s reach 300 m.
        var graph = RoadGraph.Build(
        [
            RoadLine.FromLayer([C(0, 0), C(200, 0)], "residential", false, 36),
            RoadLine.FromLayer([C(200, 0), C(500, 0)], "residential", false, 36),
            RoadLine.FromLayer([C(500, 0), C(1000, 0)], "residential", false, 36),
        ]);
        var origin = graph.AtNode(0);
        // A 1 m grid: the boundary is within 0.75 m of the exact buffer's (300 + 50 m), so 349 is in and 351 out.
        var band = Isochrones.Compute(graph, TravelMode.Car, [origin], [30], cellM: 1).Single();
        Assert.Equal([0, 1], band.Nodes.Order());
        Assert.Equal(300, band.Pieces.Sum(p => p.Length), 1e-9);
        Assert.True(band.Area!.Covers(graph.Factory().CreatePoint(C(200, 0))));
        Assert.True(band.Area.Covers(graph.Factory().CreatePoint(C(349, 0))));
        Assert.False(band.Area.Covers(graph.Factory().CreatePoint(C(351, 0))));
        Assert.False(band.Area.Covers(graph.Factory().CreatePoint(C(500, 0))));
        // From a point on the second edge (offset 100 m, at x = 300) both ways: 210..390 in 9 s; 200 is reached in 10 s.
        var middle = graph.Snap(C(300, 10), TravelMode.Car)!;
        var small = Isochrones.Compute(graph, TravelMode.Car, [middle], [9, 10], polygons: false);
        Assert.Empty(small[0].Nodes);
        Assert.Equal(180, small[0].Pieces.Sum(p => p.Length), 1e-9);
        Assert.Equal([1], small[1].Nodes);
        Assert.Null(small[0].Area);
    }

    [Fact]
    public void OneWayStreetsLimitTheReachInTheirDirection()
    {
        var graph = RoadGraph.Build(
        [
            RoadLine.FromLayer([C(0, 0), C(1000, 0)], "residential", true, 36),
            RoadLine.FromLayer([C(0, 0), C(-1000, 0)], "residential", true, 36),
        ]);
        var start = graph.Snap(C(0, 0), TravelMode.Car)!;
        var band = Isochrones.Compute(graph, TravelMode.Car, [start], [20]).Single();
        // East along the first street; the second is drawn away from the start, so also forward: both 200 m.
        Assert.Equal(400, band.Pieces.Sum(p => p.Length), 1e-9);
        var reversed = RoadGraph.Build(
        [
            RoadLine.FromLayer([C(0, 0), C(1000, 0)], "residential", true, 36),
            RoadLine.FromLayer([C(-1000, 0), C(0, 0)], "residential", true, 36),
        ]);
        var only = Isochrones.Compute(reversed, TravelMode.Car, [reversed.Snap(C(0, 0), TravelMode.Car)!], [20]).Single();
        Assert.Equal(200, only.Pieces.Sum(p => p.Length), 1e-9);
        Assert.True(only.Pieces.All(p => p.EnvelopeInternal.MinX >= 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PolygonsContainExactlyTheReachableNodesOfRandomGraphs(int seed)
    {
        var graph = ContractionHierarchyTests.RandomGrid(seed, 12);
        var random = new Random(seed);
        var sources = Enumerable.Range(0, 3).Select(_ => graph.Snap(C(random.NextDouble() * 1100, random.NextDouble() * 1100), TravelMode.Car, 5_000)!).ToList();
        CheckBands(graph, TravelMode.Car, sources, [30, 60, 120]);
    }

    [Fact]
    public void PolygonsContainExactlyTheReachableNodesInLiechtenstein()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, _)) return;
        var random = new Random(5);
        var sources = Enumerable.Range(0, 4).Select(_ => graph.Snap(graph.Nodes[random.Next(graph.NodeCount)], TravelMode.Car)!).ToList();
        CheckBands(graph, TravelMode.Car, sources, [60, 180]);
    }

    [Fact]
    public void BandPolygonsLieWithinTheToleranceOfTheExactBufferInLiechtenstein()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, _)) return;
        var random = new Random(11);
        var sources = Enumerable.Range(0, 4).Select(_ => graph.Snap(graph.Nodes[random.Next(graph.NodeCount)], TravelMode.Car)!).ToList();
        foreach (var cell in new[] { Isochrones.DefaultCellM, 20 })
        {
            var bands = Isochrones.Compute(graph, TravelMode.Car, sources, [60, 180], cellM: cell);
            foreach (var band in bands) CheckAgainstExactBuffer(graph, band, Isochrones.DefaultBufferM, cell);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void BandPolygonsLieWithinTheToleranceOfTheExactBufferOfRandomGraphs(int seed)
    {
        var graph = ContractionHierarchyTests.RandomGrid(seed, 12);
        var random = new Random(seed);
        var sources = Enumerable.Range(0, 2).Select(_ => graph.Snap(C(random.NextDouble() * 1100, random.NextDouble() * 1100), TravelMode.Bicycle, 5_000)!).ToList();
        foreach (var band in Isochrones.Compute(graph, TravelMode.Bicycle, sources, [40, 90], bufferM: 30, cellM: 7))
        {
            CheckAgainstExactBuffer(graph, band, 30, 7);
        }
    }

    [Fact]
    public void LongerBandsContainTheShorterBandsPolygonsAndAllAreValid()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, _)) return;
        var random = new Random(12);
        // 60 units as in the benchmark: large polygons with many pinches, all valid.
        var sources = Enumerable.Range(0, 60).Select(_ => graph.Snap(graph.Nodes[random.Next(graph.NodeCount)], TravelMode.Car)!).ToList();
        var bands = Isochrones.Compute(graph, TravelMode.Car, sources, [60, 180, 300]);
        foreach (var band in bands)
        {
            output.WriteLine($"{band.Seconds} s: {band.Area!.NumGeometries} polygons, {band.Area.NumPoints} vertices");
            Assert.True(band.Area.IsValid, $"{band.Seconds} s polygon invalid");
        }
        for (var b = 0; b + 1 < bands.Count; b++)
        {
            var outside = bands[b].Area!.Difference(bands[b + 1].Area!).Area;
            output.WriteLine($"{bands[b].Seconds} s: {bands[b].Area!.Area / 1e6:F3} km², outside the {bands[b + 1].Seconds} s band: {outside} m²");
            Assert.True(outside < 1e-3, $"{outside} m² of the {bands[b].Seconds} s band outside the {bands[b + 1].Seconds} s band");
            Assert.True(bands[b].Area!.Area < bands[b + 1].Area!.Area);
        }
    }

    [Fact]
    public void AStartWithoutArcsIsBufferedAsAPointAndNoStartGivesAnEmptyPolygon()
    {
        var graph = RoadGraph.Build([RoadLine.FromLayer([C(0, 0), C(1000, 0)], "residential", true, 36)]);
        // From the far end of a oneway: nothing but the start node, which has no arc, so it is buffered as a point.
        var end = Isochrones.Compute(graph, TravelMode.Car, [graph.AtNode(1)], [10], cellM: 2).Single();
        Assert.Equal([1], end.Nodes);
        Assert.True(end.Area!.IsValid);
        Assert.Equal(Math.PI * 50 * 50, end.Area.Area, Math.PI * 50 * 50 * 0.05);
        Assert.True(end.Area.Covers(graph.Factory().CreatePoint(C(1000, 0))));
        var none = Isochrones.Compute(graph, TravelMode.Car, [], [10]).Single();
        Assert.Empty(none.Nodes);
        Assert.True(none.Area!.IsEmpty);
    }

    [Fact]
    public void CellsLargerThanHalfTheBufferAreRefused()
    {
        var graph = RoadGraph.Build([RoadLine.FromLayer([C(0, 0), C(1000, 0)], "residential", false, 36)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Isochrones.Compute(graph, TravelMode.Car, [graph.AtNode(0)], [10], bufferM: 50, cellM: 26));
        Assert.Throws<ArgumentOutOfRangeException>(() => Isochrones.Compute(graph, TravelMode.Car, [graph.AtNode(0)], [10], cellM: 0));
    }

    /// <summary>
    /// The band's polygon against the exact buffer (NTS, merged pieces buffered with 16 segments per quarter circle, so
    /// chords sag less than 0.07 m, and unioned): valid; inside the exact buffer grown by the tolerance, containing it
    /// shrunk by the tolerance (0.1 m slack for the chords); area within 3 % of the exact buffer's.
    /// </summary>
    private void CheckAgainstExactBuffer(RoadGraph graph, IsochroneBand band, double bufferM, double cellM)
    {
        var area = band.Area!;
        Assert.True(area.IsValid, $"{band.Seconds} s polygon invalid");
        var factory = graph.Factory();
        var merger = new NetTopologySuite.Operation.Linemerge.LineMerger();
        merger.Add(band.Pieces);
        var reach = merger.GetMergedLineStrings().Cast<NetTopologySuite.Geometries.Geometry>()
            .Concat(band.Nodes.Select(v => factory.CreatePoint(graph.Nodes[v]))).ToList();
        var parameters = new NetTopologySuite.Operation.Buffer.BufferParameters(16,
            NetTopologySuite.Operation.Buffer.EndCapStyle.Round, NetTopologySuite.Operation.Buffer.JoinStyle.Round, 5);
        NetTopologySuite.Geometries.Geometry Buffer(double distance) => NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Union(
            reach.Select(g => NetTopologySuite.Operation.Buffer.BufferOp.Buffer(g, distance, parameters)).ToList(), factory);
        var tolerance = Isochrones.ToleranceCells * cellM;
        var exact = Buffer(bufferM);
        var grown = Buffer(bufferM + tolerance + 0.1);
        var shrunk = Buffer(bufferM - tolerance - 0.1);
        var beyond = area.Difference(grown).Area;
        var missing = shrunk.Difference(area).Area;
        var error = (area.Area - exact.Area) / exact.Area;
        output.WriteLine($"{band.Seconds} s, {cellM} m cells: {area.Area / 1e6:F3} km² vs exact {exact.Area / 1e6:F3} km² ({error:P2}), " +
            $"{area.NumPoints} vertices, {area.NumGeometries} polygons; beyond the grown buffer {beyond} m², shrunk buffer missing {missing} m²");
        Assert.True(beyond < 1e-3, $"{beyond} m² beyond the exact buffer grown by {tolerance} m");
        Assert.True(missing < 1e-3, $"{missing} m² of the exact buffer shrunk by {tolerance} m missing");
        Assert.InRange(error, -0.03, 0.03);
    }

    private void CheckBands(RoadGraph graph, TravelMode mode, List<RoadPosition> sources, double[] seconds)
    {
        var ch = ContractionHierarchy.Build(graph, mode);
        var bands = Isochrones.Compute(graph, mode, sources, seconds);
        var times = Enumerable.Range(0, graph.NodeCount)
            .Select(v => sources.Min(s => ch.TravelTime(s, graph.AtNode(v)))).ToArray();
        foreach (var band in bands)
        {
            var reachable = band.Nodes.ToHashSet();
            // Reachable means time ≤ band (the hierarchy agrees; nodes within 1e-6 s of the limit are not judged).
            for (var v = 0; v < graph.NodeCount; v++)
            {
                if (Math.Abs(times[v] - band.Seconds) < 1e-6) continue;
                Assert.Equal(times[v] <= band.Seconds, reachable.Contains(v));
            }
            Assert.True(band.Area!.IsValid);
            var locator = new IndexedPointInAreaLocator(band.Area!);
            var pieces = new STRtree<NetTopologySuite.Geometries.Geometry>();
            foreach (var piece in band.Pieces) pieces.Insert(piece.EnvelopeInternal, piece);
            foreach (var v in band.Nodes) pieces.Insert(new Envelope(graph.Nodes[v]), graph.Factory().CreatePoint(graph.Nodes[v]));
            var outside = 0;
            var nearButUnreachable = 0;
            const double buffer = Isochrones.DefaultBufferM;
            // The grid's tolerance (Isochrones: the boundary within 0.75 cell of the exact buffer's).
            const double tolerance = Isochrones.ToleranceCells * Isochrones.DefaultCellM;
            for (var v = 0; v < graph.NodeCount; v++)
            {
                var node = graph.Nodes[v];
                var inside = locator.Locate(node) != Location.Exterior;
                if (reachable.Contains(v)) { Assert.True(inside, $"reachable node {v} outside"); continue; }
                var search = new Envelope(node);
                search.ExpandBy(buffer + tolerance + 1);
                var point = graph.Factory().CreatePoint(node);
                var distance = pieces.Query(search).Select(g => g.Distance(point)).DefaultIfEmpty(double.PositiveInfinity).Min();
                if (distance > buffer + tolerance) { Assert.False(inside, $"node {v} is {distance} m from the reach but inside"); outside++; }
                else if (distance < buffer - tolerance) { Assert.True(inside, $"node {v} is {distance} m from the reach but outside"); nearButUnreachable++; }
            }
            output.WriteLine($"{band.Seconds} s: {band.Nodes.Count} reachable nodes inside, {outside} unreachable outside, " +
                $"{nearButUnreachable} unreachable within the buffer, area {band.Area!.Area / 1e6:F2} km²");
            Assert.True(outside > 0);
        }
    }
}

internal static class RoadGraphFactory
{
    public static GeometryFactory Factory(this RoadGraph graph) =>
        graph.EdgeGeometry.Count > 0 ? graph.EdgeGeometry[0].Factory : new GeometryFactory();
}
