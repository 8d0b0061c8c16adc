using NetTopologySuite.Geometries;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>
/// The grid behind the isochrone polygons, one cell at a time: with 1 m cells and a 0.5 m buffer a point at a cell's
/// centre fills exactly that cell, so any pattern of cells can be drawn. The traced polygons are valid (cells touching
/// only at a corner joined by a cut of 1/32 m into the corner), have the cells' area plus those cuts, contain exactly the
/// filled cells' centres and keep holes and islands in holes apart; lower layers lie inside higher ones.
/// </summary>
public sealed class GridBufferTests
{
    private static readonly GeometryFactory Factory = new();
    private const double Pinch = GridBuffer.PinchCells;

    private static GridBuffer Cells(int size, IEnumerable<(int I, int J, byte Layer)> cells)
    {
        var grid = GridBuffer.Create(new Envelope(0, size, 0, size), 0.5, 1);
        foreach (var (i, j, layer) in cells.OrderByDescending(c => c.Layer)) grid.Mark(new Coordinate(i + 0.5, j + 0.5), layer);
        return grid;
    }

    [Theory]
    [InlineData(0, 0, 1, 1)]
    [InlineData(0, 1, 1, 0)]
    public void CellsTouchingAtACornerAreJoinedByANarrowBridge(int i1, int j1, int i2, int j2)
    {
        var area = Cells(2, [(i1, j1, 0), (i2, j2, 0)]).Trace(0, Factory);
        Assert.True(area.IsValid);
        var polygon = Assert.IsType<Polygon>(area);
        Assert.Empty(polygon.Holes);
        // Two cells and two triangles with legs of 1/32 at the shared corner.
        Assert.Equal(2 + Pinch * Pinch, area.Area, 1e-12);
        Assert.True(area.Contains(Factory.CreatePoint(new Coordinate(1, 1))));
    }

    [Fact]
    public void ARingOfCellsHasAHoleAndAnIslandInItsHoleIsASecondPolygon()
    {
        var ring = Enumerable.Range(0, 5).SelectMany(i => Enumerable.Range(0, 5).Select(j => (i, j)))
            .Where(c => c.i is 0 or 4 || c.j is 0 or 4).Select(c => (c.i, c.j, (byte)0)).ToList();
        var holed = Cells(5, ring).Trace(0, Factory);
        Assert.True(holed.IsValid);
        Assert.Single(Assert.IsType<Polygon>(holed).Holes);
        Assert.Equal(16, holed.Area, 1e-9);
        var island = Cells(5, [.. ring, (2, 2, 0)]).Trace(0, Factory);
        Assert.True(island.IsValid);
        var parts = Assert.IsType<MultiPolygon>(island);
        Assert.Equal(2, parts.NumGeometries);
        Assert.Equal(17, island.Area, 1e-9);
        Assert.False(island.Covers(Factory.CreatePoint(new Coordinate(1.5, 2.5))));
        Assert.True(island.Covers(Factory.CreatePoint(new Coordinate(2.5, 2.5))));
    }

    [Fact]
    public void NothingMarkedIsAnEmptyPolygon()
    {
        var area = Cells(3, []).Trace(0, Factory);
        Assert.True(area.IsEmpty);
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.3)]
    [InlineData(4, 0.7)]
    [InlineData(5, 0.5)]
    public void RandomCellPatternsTraceIntoValidNestedPolygonsOfExactlyTheirCells(int seed, double density)
    {
        const int size = 14;
        var random = new Random(seed);
        var cells = new List<(int, int, byte)>();
        var layerOf = new int[size, size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                layerOf[i, j] = random.NextDouble() < density ? random.Next(3) : int.MaxValue;
                if (layerOf[i, j] < 3) cells.Add((i, j, (byte)layerOf[i, j]));
            }
        }
        var grid = Cells(size, cells);
        NetTopologySuite.Geometries.Geometry? lower = null;
        for (byte layer = 0; layer < 3; layer++)
        {
            var area = grid.Trace(layer, Factory);
            Assert.True(area.IsValid, $"layer {layer} invalid: {area}");
            var count = 0;
            for (var i = 0; i < size; i++)
            {
                for (var j = 0; j < size; j++)
                {
                    var filled = layerOf[i, j] <= layer;
                    if (filled) count++;
                    Assert.Equal(filled, area.Covers(Factory.CreatePoint(new Coordinate(i + 0.5, j + 0.5))));
                }
            }
            // The cells plus at most two pinch triangles per corner.
            Assert.InRange(area.Area, count - 1e-9, count + (size + 1) * (size + 1) * Pinch * Pinch + 1e-9);
            if (lower is not null) Assert.True(lower.Difference(area).Area < 1e-12, $"layer {layer - 1} not inside layer {layer}");
            lower = area;
        }
    }

    [Fact]
    public void ASegmentFillsTheCellsWhoseCentresAreWithinTheBuffer()
    {
        // A slanted segment and a 3.2 m buffer on 1 m cells: every cell centre decided by its exact distance.
        var grid = GridBuffer.Create(new Envelope(0, 20, 0, 20), 3.2, 1);
        var line = Factory.CreateLineString([new Coordinate(4.3, 5.1), new Coordinate(15.7, 13.9), new Coordinate(16.2, 6.4)]);
        grid.Mark(line, 0);
        var area = grid.Trace(0, Factory);
        Assert.True(area.IsValid);
        for (var i = -4; i < 24; i++)
        {
            for (var j = -4; j < 24; j++)
            {
                var centre = Factory.CreatePoint(new Coordinate(i + 0.5, j + 0.5));
                var distance = line.Distance(centre);
                if (Math.Abs(distance - 3.2) < 1e-9) continue;
                Assert.Equal(distance < 3.2, area.Covers(centre));
            }
        }
    }
}
