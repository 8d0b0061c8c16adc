using NetTopologySuite.Geometries;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// The aggregation units of a cell-based hotspot method: hexagons or squares of a given size whose centre lies in the
/// analysis area, or the districts themselves. Counts points, builds spatial weights, and gives each cell's polygon.
/// </summary>
public sealed class HotspotCells
{
    private readonly ICellGrid? _grid;
    private readonly int[] _gridToCell;
    private readonly int[] _cellToGrid;
    private readonly AnalysisArea _area;

    private HotspotCells(AnalysisArea area, ICellGrid? grid, int[] gridToCell, int[] cellToGrid, Coordinate[] centroids, string?[] districts, string kind)
    {
        _area = area;
        _grid = grid;
        _gridToCell = gridToCell;
        _cellToGrid = cellToGrid;
        Centroids = centroids;
        Districts = districts;
        Kind = kind;
    }

    public string Kind { get; }

    public int Count => Centroids.Length;

    public Coordinate[] Centroids { get; }

    /// <summary>The district containing each cell's centre (the district itself for district units).</summary>
    public string?[] Districts { get; }

    /// <summary>Hexagons ("hex") or squares ("square") of <paramref name="cellM"/> metres, or the districts ("districts"). O(grid cells · log).</summary>
    public static HotspotCells Build(AnalysisArea area, string kind, double cellM)
    {
        if (kind == "districts")
        {
            var centroids = area.Districts.Select(d => d.Metric.InteriorPoint.Coordinate).ToArray();
            return new HotspotCells(area, null, [], [], centroids, area.Districts.Select(d => (string?)d.Code).ToArray(), kind);
        }
        ICellGrid grid = kind == "square" ? new SquareGrid(area.Extent, cellM) : new HexGrid(area.Extent, cellM);
        var gridToCell = new int[grid.CellCount];
        var kept = new List<int>();
        for (var g = 0; g < grid.CellCount; g++)
        {
            gridToCell[g] = -1;
            if (!area.Contains(grid.Centroid(g))) continue;
            gridToCell[g] = kept.Count;
            kept.Add(g);
        }
        var cells = kept.Select(grid.Centroid).ToArray();
        var districts = cells.Select(c => area.Districts.FirstOrDefault(d => d.Metric.Intersects(area.Projection.Factory.CreatePoint(c))).Code).ToArray();
        return new HotspotCells(area, grid, gridToCell, kept.ToArray(), cells, districts, kind);
    }

    /// <summary>The cell of a metric point, or −1.</summary>
    public int CellOf(double x, double y)
    {
        if (_grid is null)
        {
            var p = _area.Projection.Factory.CreatePoint(new Coordinate(x, y));
            for (var i = 0; i < _area.Districts.Count; i++) if (_area.Districts[i].Metric.Intersects(p)) return i;
            return -1;
        }
        var g = _grid.CellOf(x, y);
        return g < 0 ? -1 : _gridToCell[g];
    }

    public int[] CountPoints(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var counts = new int[Count];
        for (var i = 0; i < x.Length; i++)
        {
            var c = CellOf(x[i], y[i]);
            if (c >= 0) counts[c]++;
        }
        return counts;
    }

    /// <summary>Distance-band weights between cell centres (inclusive), or queen contiguity for districts.</summary>
    public SpatialWeights Weights(double bandM) =>
        _grid is null
            ? SpatialWeights.Contiguity(_area.Districts.Select(d => d.Metric).ToList(), ContiguityRule.Queen)
            : SpatialWeights.DistanceBand(Centroids, bandM);

    /// <summary>The cell as a WGS84 polygon.</summary>
    public Geometry Wgs84Polygon(int cell) =>
        _area.Projection.ToWgs84(_grid is null ? _area.Districts[cell].Metric : _grid.CellPolygon(_cellToGrid[cell], _area.Projection.Factory));
}
