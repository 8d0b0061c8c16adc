using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>Square and hexagonal aggregation grids and polygon units: assignment, geometry, counts and contiguity.</summary>
public sealed class AggregationGridTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 32616);

    [Fact]
    public void SquareCellsAreHalfOpenExceptOnTheFarEdges()
    {
        var grid = new SquareGrid(new Envelope(100, 400, 200, 400), 100);
        Assert.Equal((3, 2, 6), (grid.Columns, grid.Rows, grid.CellCount));
        Assert.Equal(0, grid.CellOf(100, 200));
        Assert.Equal(1, grid.CellOf(200, 250));        // x = 200 starts column 1
        Assert.Equal(5, grid.CellOf(400, 400));        // the far corner belongs to the last cell
        Assert.Equal(-1, grid.CellOf(99.999, 250));
        Assert.Equal(-1, grid.CellOf(400.001, 250));
        Assert.Equal(new Coordinate(350, 350), grid.Centroid(5));
        Assert.Equal(10_000, grid.CellPolygon(4, Factory).Area, 1e-9);
    }

    [Fact]
    public void SquareContiguityCountsFourOrEightNeighboursInsideAndFewerAtTheBorder()
    {
        var grid = new SquareGrid(new Envelope(0, 5, 0, 4), 1);
        var rook = grid.Contiguity(ContiguityRule.Rook);
        var queen = grid.Contiguity(ContiguityRule.Queen);
        Assert.Equal(4, rook.Cardinality(1 * 5 + 2));
        Assert.Equal(8, queen.Cardinality(1 * 5 + 2));
        Assert.Equal(2, rook.Cardinality(0));
        Assert.Equal(3, queen.Cardinality(0));
        Assert.Equal([1, 5, 6], queen.NeighboursOf(0).ToArray());
        Assert.True(queen.IsSymmetric());
    }

    [Fact]
    public void HexCellOfAPointIsTheHexagonContainingItAndItsNearestCentre()
    {
        var grid = new HexGrid(new Envelope(1000, 3000, 5000, 6200), 250);
        var polygons = grid.CellPolygons(Factory);
        var centroids = grid.Centroids();
        var random = new Random(1);
        for (var k = 0; k < 5000; k++)
        {
            var x = 1000 + 2000 * random.NextDouble();
            var y = 5000 + 1200 * random.NextDouble();
            var cell = grid.CellOf(x, y);
            Assert.InRange(cell, 0, grid.CellCount - 1);
            Assert.True(polygons[cell].Covers(Factory.CreatePoint(new Coordinate(x, y))), $"({x}, {y}) is not in cell {cell}");
            var nearest = Enumerable.Range(0, centroids.Length).MinBy(i => centroids[i].Distance(new Coordinate(x, y)));
            Assert.Equal(centroids[nearest].Distance(new Coordinate(x, y)), centroids[cell].Distance(new Coordinate(x, y)), 1e-9);
        }
    }

    [Fact]
    public void HexGridCoversItsExtentIncludingEdgesAndCorners()
    {
        var extent = new Envelope(0, 1234, 0, 987);
        var grid = new HexGrid(extent, 100);
        for (var i = 0; i <= 100; i++)
        {
            var t = i / 100.0;
            Assert.NotEqual(-1, grid.CellOf(extent.MinX + t * extent.Width, extent.MinY));
            Assert.NotEqual(-1, grid.CellOf(extent.MinX + t * extent.Width, extent.MaxY));
            Assert.NotEqual(-1, grid.CellOf(extent.MinX, extent.MinY + t * extent.Height));
            Assert.NotEqual(-1, grid.CellOf(extent.MaxX, extent.MinY + t * extent.Height));
        }
        Assert.Equal(-1, grid.CellOf(-500, -500));
    }

    [Fact]
    public void HexagonsHaveTheStatedAreaAndNeighboursOneCellSizeApart()
    {
        var grid = new HexGrid(new Envelope(0, 2000, 0, 2000), 500);
        var polygon = grid.CellPolygon(grid.Columns + 1, Factory);
        Assert.Equal(Math.Sqrt(3) / 2 * 500 * 500, polygon.Area, 1e-6);
        Assert.Equal(grid.CellArea, polygon.Area, 1e-6);
        Assert.True(polygon.IsValid);
        var contiguity = grid.Contiguity();
        var inner = grid.Columns * 2 + 2;
        Assert.Equal(6, contiguity.Cardinality(inner));
        foreach (var j in contiguity.NeighboursOf(inner)) Assert.Equal(500, grid.Centroid(inner).Distance(grid.Centroid(j)), 1e-9);
    }

    [Fact]
    public void PolygonContiguityOfGeneratedHexagonsEqualsTheLatticeContiguity()
    {
        // hexagon vertices are placed on a half-unit lattice, so neighbours share bit-identical vertices
        var grid = new HexGrid(new Envelope(0, 3000, 0, 2500), 300);
        var fromPolygons = SpatialWeights.Contiguity(grid.CellPolygons(Factory), ContiguityRule.Rook);
        var fromLattice = grid.Contiguity();
        for (var i = 0; i < grid.CellCount; i++) Assert.Equal(fromLattice.NeighboursOf(i).ToArray(), fromPolygons.NeighboursOf(i).ToArray());
        var queen = SpatialWeights.Contiguity(grid.CellPolygons(Factory), ContiguityRule.Queen);
        for (var i = 0; i < grid.CellCount; i++) Assert.Equal(fromLattice.NeighboursOf(i).ToArray(), queen.NeighboursOf(i).ToArray());
    }

    [Fact]
    public void QueenAndRookContiguityOfSquarePolygonsMatchTheSquareLattice()
    {
        var grid = new SquareGrid(new Envelope(0, 700, 0, 500), 100);
        var polygons = grid.CellPolygons(Factory);
        foreach (var rule in new[] { ContiguityRule.Queen, ContiguityRule.Rook })
        {
            var fromPolygons = SpatialWeights.Contiguity(polygons, rule);
            var fromLattice = grid.Contiguity(rule);
            for (var i = 0; i < grid.CellCount; i++) Assert.Equal(fromLattice.NeighboursOf(i).ToArray(), fromPolygons.NeighboursOf(i).ToArray());
        }
    }

    [Fact]
    public void CountsPerCellAddUpToThePointsInsideTheGrid()
    {
        var grid = new HexGrid(new Envelope(0, 1000, 0, 1000), 100);
        var random = new Random(3);
        var x = Enumerable.Range(0, 10_000).Select(_ => -100 + 1200 * random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 10_000).Select(_ => -100 + 1200 * random.NextDouble()).ToArray();
        var counts = grid.Count(x, y);
        var cells = grid.Assign(x, y);
        Assert.Equal(cells.Count(c => c >= 0), counts.Sum());
        for (var i = 0; i < 50; i++) Assert.Equal(cells.Count(c => c == i), counts[i]);
    }

    [Fact]
    public void PolygonUnitsCountPointsInsideAndGiveSharedBoundariesToTheLowerUnit()
    {
        var reader = new WKTReader();
        var units = new[]
        {
            reader.Read("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))"),
            reader.Read("POLYGON ((100 0, 200 0, 200 100, 100 100, 100 0))"),
            reader.Read("MULTIPOLYGON (((0 200, 50 200, 50 250, 0 250, 0 200)), ((150 200, 200 200, 200 250, 150 250, 150 200)))"),
            reader.Read("POLYGON ((300 0, 400 0, 400 100, 300 100, 300 0), (320 20, 380 20, 380 80, 320 80, 320 20))"),
        };
        var polygons = new PolygonUnits(units);
        double[] x = [50, 150, 100, 25, 175, 100, 350, 310, 500];
        double[] y = [50, 50, 50, 225, 225, 225, 50, 50, 500];
        Assert.Equal([1 + 1, 1, 2, 1], polygons.Count(x, y));  // (100, 50) is on the 0|1 boundary → unit 0; (350, 50) is in the hole
        Assert.Equal(0, polygons.UnitOf(100, 50));
        Assert.Equal(-1, polygons.UnitOf(350, 50));
        Assert.Equal(3, polygons.UnitOf(310, 50));
        var rook = polygons.Contiguity(ContiguityRule.Rook);
        Assert.Equal([1], rook.NeighboursOf(0).ToArray());
        Assert.Equal(0, rook.Cardinality(2));
    }
}
