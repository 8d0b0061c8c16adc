using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Pointy-top regular hexagons over an extent. <see cref="CellSize"/> is the distance between the centres of adjacent
/// cells (the hexagon's flat-to-flat width w); the side is s = w/√3 and a cell's area is (√3/2)·w², so a "500 m hex grid" has
/// its six neighbours exactly 500 m away. Rows are (√3/2)·w apart; odd rows are shifted east by w/2 ("odd-r" layout).
/// Cell (column, row) has index <c>row · Columns + column</c>; the centre of cell (0, 0) is the extent's lower-left corner and
/// the grid has enough rows and columns to cover the whole extent. Point-to-cell is O(1) (axial coordinates, cube rounding).
/// </summary>
public sealed class HexGrid : ICellGrid
{
    private static readonly double Sqrt3 = Math.Sqrt(3);

    public HexGrid(Envelope extent, double cellSize)
    {
        ArgumentNullException.ThrowIfNull(extent);
        if (extent.IsNull) throw new ArgumentException("The extent is empty.", nameof(extent));
        if (!double.IsFinite(cellSize) || cellSize <= 0) throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "The cell size must be a positive number of metres.");
        CellSize = cellSize;
        Side = cellSize / Sqrt3;
        OriginX = extent.MinX;
        OriginY = extent.MinY;
        Columns = (int)Math.Floor(extent.Width / cellSize + 0.5) + 1;
        Rows = (int)Math.Ceiling(extent.Height / (1.5 * Side)) + 1;
        if ((long)Columns * Rows > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(cellSize), "Too many cells.");
    }

    /// <summary>Centre of cell (0, 0): the extent's lower-left corner.</summary>
    public double OriginX { get; }

    /// <inheritdoc cref="OriginX"/>
    public double OriginY { get; }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>Distance between adjacent centres (flat-to-flat width), metres.</summary>
    public double CellSize { get; }

    /// <summary>Side (= circumradius) of a hexagon, metres.</summary>
    public double Side { get; }

    public int CellCount => Columns * Rows;

    public double CellArea => Sqrt3 / 2 * CellSize * CellSize;

    public int CellOf(double x, double y)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y)) return -1;
        var dx = (x - OriginX) / Side;
        var dy = (y - OriginY) / Side;
        // fractional axial coordinates of a pointy-top layout, then cube rounding
        var q = Sqrt3 / 3 * dx - dy / 3;
        var r = 2.0 / 3 * dy;
        var cx = q;
        var cz = r;
        var cy = -q - r;
        var rx = Math.Round(cx);
        var ry = Math.Round(cy);
        var rz = Math.Round(cz);
        var ex = Math.Abs(rx - cx);
        var ey = Math.Abs(ry - cy);
        var ez = Math.Abs(rz - cz);
        if (ex > ey && ex > ez) rx = -ry - rz;
        else if (ey <= ez) rz = -rx - ry;
        if (Math.Abs(rx) > int.MaxValue / 4 || Math.Abs(rz) > int.MaxValue / 4) return -1;
        var axialQ = (int)rx;
        var row = (int)rz;
        var column = axialQ + (row - (row & 1)) / 2;
        // a point exactly on the west edge of the grid (the shared edge of odd-row cells −1 and 0) belongs to cell 0
        if (column == -1 && (row & 1) == 1 && x >= OriginX) column = 0;
        if (column < 0 || row < 0 || column >= Columns || row >= Rows) return -1;
        return row * Columns + column;
    }

    public Coordinate Centroid(int cell)
    {
        var (m, k) = CentreLattice(cell);
        return new Coordinate(LatticeX(m), LatticeY(k));
    }

    public Polygon CellPolygon(int cell, GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var (m, k) = CentreLattice(cell);
        // vertices on the half-unit lattice (x in w/2, y in s/2 steps) so neighbours share bit-identical coordinates
        return factory.CreatePolygon(
        [
            new Coordinate(LatticeX(m), LatticeY(k - 2)),
            new Coordinate(LatticeX(m + 1), LatticeY(k - 1)),
            new Coordinate(LatticeX(m + 1), LatticeY(k + 1)),
            new Coordinate(LatticeX(m), LatticeY(k + 2)),
            new Coordinate(LatticeX(m - 1), LatticeY(k + 1)),
            new Coordinate(LatticeX(m - 1), LatticeY(k - 1)),
            new Coordinate(LatticeX(m), LatticeY(k - 2)),
        ]);
    }

    /// <summary>The six edge neighbours (fewer at the border). Hexagons never meet at a corner only, so queen = rook. O(cells).</summary>
    public SpatialWeights Contiguity(ContiguityRule rule = ContiguityRule.Queen)
    {
        if (!Enum.IsDefined(rule)) throw new ArgumentOutOfRangeException(nameof(rule));
        ReadOnlySpan<(int Dc, int Dr)> even = [(-1, -1), (0, -1), (-1, 0), (1, 0), (-1, 1), (0, 1)];
        ReadOnlySpan<(int Dc, int Dr)> odd = [(0, -1), (1, -1), (-1, 0), (1, 0), (0, 1), (1, 1)];
        var rows = new int[CellCount][];
        var neighbours = new List<int>(6);
        for (var r = 0; r < Rows; r++)
        {
            var offsets = (r & 1) == 0 ? even : odd;
            for (var c = 0; c < Columns; c++)
            {
                neighbours.Clear();
                foreach (var (dc, dr) in offsets)
                {
                    var nc = c + dc;
                    var nr = r + dr;
                    if (nc >= 0 && nr >= 0 && nc < Columns && nr < Rows) neighbours.Add(nr * Columns + nc);
                }
                rows[r * Columns + c] = [.. neighbours];  // offsets are listed in ascending index order
            }
        }
        return SpatialWeights.FromSortedRows(rows);
    }

    private double LatticeX(int halfWidths) => OriginX + halfWidths * (CellSize / 2);

    private double LatticeY(int halfSides) => OriginY + halfSides * (Side / 2);

    private (int M, int K) CentreLattice(int cell)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cell);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cell, CellCount);
        var column = cell % Columns;
        var row = cell / Columns;
        return (2 * column + (row & 1), 3 * row);
    }
}
