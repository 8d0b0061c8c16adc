using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Square cells of a given side over an extent, anchored at its lower-left corner. Cell (column, row) has index
/// <c>row · Columns + column</c>, row 0 at the south. Cells are half-open [x₀, x₀ + size) × [y₀, y₀ + size), except that the
/// last column and row also take points on the grid's east and north edges, so every point of the extent has a cell.
/// </summary>
public sealed class SquareGrid : ICellGrid
{
    public SquareGrid(Envelope extent, double cellSize)
    {
        ArgumentNullException.ThrowIfNull(extent);
        if (extent.IsNull) throw new ArgumentException("The extent is empty.", nameof(extent));
        if (!double.IsFinite(cellSize) || cellSize <= 0) throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "The cell size must be a positive number of metres.");
        CellSize = cellSize;
        OriginX = extent.MinX;
        OriginY = extent.MinY;
        Columns = Math.Max(1, (int)Math.Ceiling(extent.Width / cellSize));
        Rows = Math.Max(1, (int)Math.Ceiling(extent.Height / cellSize));
        if ((long)Columns * Rows > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(cellSize), "Too many cells.");
    }

    public double OriginX { get; }

    public double OriginY { get; }

    public int Columns { get; }

    public int Rows { get; }

    public double CellSize { get; }

    public int CellCount => Columns * Rows;

    public double CellArea => CellSize * CellSize;

    public int CellOf(double x, double y)
    {
        var column = (int)Math.Floor((x - OriginX) / CellSize);
        var row = (int)Math.Floor((y - OriginY) / CellSize);
        if (column == Columns && x <= OriginX + Columns * CellSize) column--;
        if (row == Rows && y <= OriginY + Rows * CellSize) row--;
        if (column < 0 || row < 0 || column >= Columns || row >= Rows || double.IsNaN(x) || double.IsNaN(y)) return -1;
        return row * Columns + column;
    }

    public Coordinate Centroid(int cell)
    {
        var (column, row) = Position(cell);
        return new Coordinate(OriginX + (column + 0.5) * CellSize, OriginY + (row + 0.5) * CellSize);
    }

    public Polygon CellPolygon(int cell, GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var (column, row) = Position(cell);
        double X(int c) => OriginX + c * CellSize;
        double Y(int r) => OriginY + r * CellSize;
        return factory.CreatePolygon(
        [
            new Coordinate(X(column), Y(row)),
            new Coordinate(X(column + 1), Y(row)),
            new Coordinate(X(column + 1), Y(row + 1)),
            new Coordinate(X(column), Y(row + 1)),
            new Coordinate(X(column), Y(row)),
        ]);
    }

    /// <summary>Rook: the 4 edge neighbours; queen: the 8 edge and corner neighbours (fewer at the border). O(cells).</summary>
    public SpatialWeights Contiguity(ContiguityRule rule = ContiguityRule.Queen)
    {
        if (!Enum.IsDefined(rule)) throw new ArgumentOutOfRangeException(nameof(rule));
        var rows = new int[CellCount][];
        var neighbours = new List<int>(8);
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                neighbours.Clear();
                for (var dr = -1; dr <= 1; dr++)
                {
                    for (var dc = -1; dc <= 1; dc++)
                    {
                        if (dr == 0 && dc == 0) continue;
                        if (rule == ContiguityRule.Rook && dr != 0 && dc != 0) continue;
                        var nr = r + dr;
                        var nc = c + dc;
                        if (nr >= 0 && nc >= 0 && nr < Rows && nc < Columns) neighbours.Add(nr * Columns + nc);
                    }
                }
                rows[r * Columns + c] = [.. neighbours];
            }
        }
        return SpatialWeights.FromSortedRows(rows);
    }

    private (int Column, int Row) Position(int cell)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cell);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cell, CellCount);
        return (cell % Columns, cell / Columns);
    }
}
