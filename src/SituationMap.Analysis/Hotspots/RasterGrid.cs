using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// A north-up raster of square cells in a metric CRS. The origin is the lower-left (south-west) corner of the grid;
/// column 0 is the westernmost column, row 0 the southernmost row; cell (column, row) is stored at
/// <c>row · Width + column</c>.
/// </summary>
public readonly record struct RasterGrid
{
    public RasterGrid(double originX, double originY, double cellSize, int width, int height)
    {
        if (!double.IsFinite(originX) || !double.IsFinite(originY)) throw new ArgumentOutOfRangeException(nameof(originX), "The origin must be finite.");
        if (!double.IsFinite(cellSize) || cellSize <= 0) throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "The cell size must be a positive number of metres.");
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(width), "The grid is too large.");
        OriginX = originX;
        OriginY = originY;
        CellSize = cellSize;
        Width = width;
        Height = height;
    }

    /// <summary>West edge of the grid (metres).</summary>
    public double OriginX { get; }

    /// <summary>South edge of the grid (metres).</summary>
    public double OriginY { get; }

    /// <summary>Side of a cell (metres).</summary>
    public double CellSize { get; }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    public int CellCount => Width * Height;

    /// <summary>Area of one cell in km².</summary>
    public double CellAreaSquareKilometres => CellSize * CellSize / 1e6;

    public Envelope Extent => new(OriginX, OriginX + Width * CellSize, OriginY, OriginY + Height * CellSize);

    public double CellCentreX(int column) => OriginX + (column + 0.5) * CellSize;

    public double CellCentreY(int row) => OriginY + (row + 0.5) * CellSize;

    /// <summary>The smallest grid with the given cell size whose extent contains <paramref name="extent"/>, anchored at its lower-left corner.</summary>
    public static RasterGrid Covering(Envelope extent, double cellSize)
    {
        ArgumentNullException.ThrowIfNull(extent);
        if (extent.IsNull) throw new ArgumentException("The extent is empty.", nameof(extent));
        var width = Math.Max(1, (int)Math.Ceiling(extent.Width / cellSize));
        var height = Math.Max(1, (int)Math.Ceiling(extent.Height / cellSize));
        return new RasterGrid(extent.MinX, extent.MinY, cellSize, width, height);
    }
}
