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

    /// <summary>
    /// The spatial weights between the cells (before the statistic's transform): a distance band between cell centres
    /// (inclusive), the k nearest cell centres, or contiguity (queen: an edge or a corner in common; for hexagons the same
    /// as rook). Grid contiguity comes from the lattice, restricted to the cells kept in the area; district contiguity
    /// from shared boundary vertices. A k of at least the number of cells is refused (?k).
    /// </summary>
    public SpatialWeights Weights(WeightsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec.Kind)
        {
            case "distance":
                return SpatialWeights.DistanceBand(Centroids, spec.BandM ?? throw new ArgumentException("A distance band needs band_m.", nameof(spec)));
            case "knn":
                var k = spec.K ?? throw new ArgumentException("k nearest neighbours needs k.", nameof(spec));
                if (k >= Count) throw new HotspotQueryException("?k", $"there are {Count} cells, so k must be less than {Count}.");
                return SpatialWeights.KNearest(Centroids, k);
            case "contiguity" when _grid is null:
                return SpatialWeights.Contiguity(_area.Districts.Select(d => d.Metric).ToList(), ContiguityRule.Queen);
            case "contiguity":
                var lattice = _grid.Contiguity(ContiguityRule.Queen);
                var rows = new IReadOnlyList<int>[Count];
                for (var c = 0; c < Count; c++)
                {
                    var kept = new List<int>();
                    foreach (var g in lattice.NeighboursOf(_cellToGrid[c]))
                    {
                        if (_gridToCell[g] >= 0) kept.Add(_gridToCell[g]);
                    }
                    rows[c] = kept;
                }
                return SpatialWeights.FromNeighbours(rows);
            default:
                throw new ArgumentException($"Unknown weights '{spec.Kind}'.", nameof(spec));
        }
    }

    /// <summary>The cell as a WGS84 polygon.</summary>
    public Geometry Wgs84Polygon(int cell) =>
        _area.Projection.ToWgs84(_grid is null ? _area.Districts[cell].Metric : _grid.CellPolygon(_cellToGrid[cell], _area.Projection.Factory));
}

/// <summary>
/// Spatial weights of a cell-based method: Kind distance (BandM metres, inclusive), knn (K nearest) or contiguity
/// (queen), and the transform the statistic applies (binary or row-standardised).
/// </summary>
public sealed record WeightsSpec(string Kind, double? BandM, int? K, WeightsTransform Transform)
{
    public string Key => $"{Kind}|{BandM}|{K}|{Transform}";

    public string TransformName => Transform == WeightsTransform.RowStandardised ? "row" : "binary";

    /// <summary>For people: "distance band 252.5 m, binary", "8 nearest neighbours, row-standardised", "queen contiguity, binary".</summary>
    public string Description => (Kind switch
    {
        "distance" => FormattableString.Invariant($"distance band {BandM} m"),
        "knn" => $"{K} nearest neighbours",
        _ => "queen contiguity",
    }) + (Transform == WeightsTransform.RowStandardised ? ", row-standardised" : ", binary");
}
