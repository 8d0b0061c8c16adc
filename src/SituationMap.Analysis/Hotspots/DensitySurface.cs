namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// The result of <see cref="KernelDensity"/>: a density per km² at each cell centre of <see cref="Grid"/>
/// (row-major, row 0 = south, see <see cref="RasterGrid"/>).
/// </summary>
public sealed class DensitySurface
{
    internal DensitySurface(RasterGrid grid, KernelShape kernel, double bandwidth, double[] values)
    {
        Grid = grid;
        Kernel = kernel;
        Bandwidth = bandwidth;
        Values = values;
    }

    /// <summary>The surface of nothing (no points, or weights summing to zero): zero everywhere.</summary>
    public static DensitySurface Empty(RasterGrid grid, KernelShape kernel, double bandwidth) =>
        new(grid, kernel, bandwidth, new double[grid.Width * grid.Height]);

    public RasterGrid Grid { get; }

    public KernelShape Kernel { get; }

    /// <summary>The bandwidth used, in metres (given, or from <see cref="KernelDensity.DefaultBandwidth"/>).</summary>
    public double Bandwidth { get; }

    /// <summary>Density per km² (points, or sum of weights, per km²), index <c>row · Width + column</c>.</summary>
    public double[] Values { get; }

    public double this[int column, int row] => Values[row * Grid.Width + column];

    /// <summary>
    /// Σ density × cell area: the number of points (or sum of weights) the surface holds inside the grid.
    /// Equals the input total up to discretisation error when all kernels lie inside the grid. O(cells).
    /// </summary>
    public double Total()
    {
        var sum = 0.0;
        foreach (var v in Values) sum += v;
        return sum * Grid.CellAreaSquareKilometres;
    }

    /// <summary>The largest density and the cell holding it (first in storage order on ties). O(cells).</summary>
    public (double Density, int Column, int Row) Maximum()
    {
        var best = 0;
        for (var i = 1; i < Values.Length; i++)
        {
            if (Values[i] > Values[best]) best = i;
        }
        return (Values[best], best % Grid.Width, best / Grid.Width);
    }
}
