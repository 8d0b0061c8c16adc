using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// A regular tessellation of an extent into numbered cells (0 .. <see cref="CellCount"/> − 1) for aggregating points:
/// O(1) point-to-cell assignment, cell geometry on demand, and lattice contiguity without any geometry work.
/// </summary>
public interface ICellGrid
{
    int CellCount { get; }

    /// <summary>The grid's size parameter in metres (square side, or hexagon centre spacing).</summary>
    double CellSize { get; }

    /// <summary>Area of one cell in m².</summary>
    double CellArea { get; }

    /// <summary>The cell containing the point, or −1 when it lies outside the grid. O(1).</summary>
    int CellOf(double x, double y);

    Coordinate Centroid(int cell);

    /// <summary>The cell as a polygon. Neighbouring cells share bit-identical vertices, so polygon contiguity agrees with <see cref="Contiguity"/>.</summary>
    Polygon CellPolygon(int cell, GeometryFactory factory);

    /// <summary>Binary contiguity between cells from the lattice itself. O(cells).</summary>
    SpatialWeights Contiguity(ContiguityRule rule = ContiguityRule.Queen);
}

/// <summary>Aggregation helpers shared by the <see cref="ICellGrid"/> implementations.</summary>
public static class CellGridExtensions
{
    /// <summary>Number of points in each cell; points outside the grid are not counted. O(points + cells).</summary>
    public static int[] Count(this ICellGrid grid, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        var counts = new int[grid.CellCount];
        for (var i = 0; i < x.Length; i++)
        {
            var cell = grid.CellOf(x[i], y[i]);
            if (cell >= 0) counts[cell]++;
        }
        return counts;
    }

    /// <summary>The cell of every point (−1 outside the grid). O(points).</summary>
    public static int[] Assign(this ICellGrid grid, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        var cells = new int[x.Length];
        for (var i = 0; i < x.Length; i++) cells[i] = grid.CellOf(x[i], y[i]);
        return cells;
    }

    /// <summary>All cell centroids, in cell order. O(cells).</summary>
    public static Coordinate[] Centroids(this ICellGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var centroids = new Coordinate[grid.CellCount];
        for (var i = 0; i < centroids.Length; i++) centroids[i] = grid.Centroid(i);
        return centroids;
    }

    /// <summary>All cells as polygons, in cell order. O(cells).</summary>
    public static Polygon[] CellPolygons(this ICellGrid grid, GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var polygons = new Polygon[grid.CellCount];
        for (var i = 0; i < polygons.Length; i++) polygons[i] = grid.CellPolygon(i, factory);
        return polygons;
    }
}
