using NetTopologySuite.Geometries;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// Gi* with the weights the server offers — polygon contiguity (queen, rook), square-lattice contiguity and k nearest
/// neighbours, binary and row-standardised — on tiny lattices, against the textbook formulas written out here with
/// neighbour sets found by brute force:
/// binary (Getis and Ord 1995, ArcGIS): z = (Σⱼ xⱼ − x̄ wᵢ) / (S √((n wᵢ − wᵢ²)/(n − 1))), j over the neighbours and i, wᵢ their number;
/// row-standardised (esda's G_Local star with transform "R" on binary input): z = (the neighbourhood's mean − x̄) / S;
/// S the population standard deviation of x.
/// </summary>
public sealed class GiStarWeightsTests
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>A 3 × 3 block of unit squares, row-major from the bottom left; shared corners are bit-identical.</summary>
    private static readonly Polygon[] Squares = [.. Enumerable.Range(0, 9).Select(i => Square(i % 3, i / 3))];

    private static readonly double[] X9 = [9, 7, 1, 6, 4, 0, 2, 0, 3];

    private static Polygon Square(int column, int row) => Factory.CreatePolygon(
    [
        new(column, row), new(column + 1, row), new(column + 1, row + 1), new(column, row + 1), new(column, row),
    ]);

    private static double[] BinaryZ(double[] x, Func<int, IEnumerable<int>> neighbours)
    {
        var n = x.Length;
        var mean = x.Average();
        var s = Math.Sqrt(x.Sum(v => v * v) / n - mean * mean);
        return [.. Enumerable.Range(0, n).Select(i =>
        {
            var set = neighbours(i).Append(i).ToList();
            double w = set.Count;
            return (set.Sum(j => x[j]) - mean * w) / (s * Math.Sqrt((n * w - w * w) / (n - 1)));
        })];
    }

    private static double[] RowStandardisedZ(double[] x, Func<int, IEnumerable<int>> neighbours)
    {
        var mean = x.Average();
        var s = Math.Sqrt(x.Sum(v => v * v) / x.Length - mean * mean);
        return [.. Enumerable.Range(0, x.Length).Select(i => (neighbours(i).Append(i).Average(j => x[j]) - mean) / s)];
    }

    private static void AssertNeighbours(SpatialWeights w, Func<int, IEnumerable<int>> expected)
    {
        for (var i = 0; i < w.Count; i++) Assert.Equal(expected(i).Order(), w.NeighboursOf(i).ToArray());
    }

    private static void AssertZ(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-9);
    }

    private static IEnumerable<int> Chebyshev1(int i, int columns, int count) =>
        Enumerable.Range(0, count).Where(j => j != i && Math.Abs(j % columns - i % columns) <= 1 && Math.Abs(j / columns - i / columns) <= 1);

    private static IEnumerable<int> Manhattan1(int i, int columns, int count) =>
        Enumerable.Range(0, count).Where(j => Math.Abs(j % columns - i % columns) + Math.Abs(j / columns - i / columns) == 1);

    [Fact]
    public void OnPolygonsWithQueenContiguity()
    {
        var units = new PolygonUnits(Squares);
        var w = units.Contiguity(ContiguityRule.Queen);
        IEnumerable<int> Queen(int i) => Chebyshev1(i, 3, 9);
        AssertNeighbours(w, Queen);
        // the centre touches all eight, a corner three, an edge square five
        Assert.Equal(new[] { 3, 5, 3, 5, 8, 5, 3, 5, 3 }, Enumerable.Range(0, 9).Select(w.Cardinality));
        AssertZ(BinaryZ(X9, Queen), GetisOrdGiStar.Compute(X9, w).Z);
        AssertZ(RowStandardisedZ(X9, Queen), GetisOrdGiStar.Compute(X9, w, WeightsTransform.RowStandardised).Z);
        // hand-checked: the bottom-left square (9) with 7, 6 and 4 around it, x̄ = 32/9, S² = 196/9 − (32/9)²
        var s = Math.Sqrt(196.0 / 9 - 32.0 / 9 * (32.0 / 9));
        Assert.Equal((26 - 32.0 / 9 * 4) / (s * Math.Sqrt((9 * 4 - 16) / 8.0)), GetisOrdGiStar.Compute(X9, w).Z[0], 1e-12);
    }

    [Fact]
    public void OnPolygonsWithRookContiguity()
    {
        var w = new PolygonUnits(Squares).Contiguity(ContiguityRule.Rook);
        IEnumerable<int> Rook(int i) => Manhattan1(i, 3, 9);
        AssertNeighbours(w, Rook);
        AssertZ(BinaryZ(X9, Rook), GetisOrdGiStar.Compute(X9, w).Z);
        AssertZ(RowStandardisedZ(X9, Rook), GetisOrdGiStar.Compute(X9, w, WeightsTransform.RowStandardised).Z);
    }

    [Fact]
    public void OnPolygonsCountsGoToTheUnitContainingThePointAndSharedBoundariesToTheLowestUnit()
    {
        var units = new PolygonUnits(Squares);
        double[] x = [0.5, 0.5, 1.0, 2.5, 1.5, 3.5];
        double[] y = [0.5, 0.2, 0.5, 2.5, 1.5, 0.5];
        // (1.0, 0.5) lies on the edge of squares 0 and 1: square 0; (3.5, 0.5) is outside
        Assert.Equal(new[] { 3, 0, 0, 0, 1, 0, 0, 0, 1 }, units.Count(x, y));
    }

    [Fact]
    public void OnSquaresWithLatticeContiguity()
    {
        // 4 columns × 3 rows of 100 m squares; neighbours found from the centres, not from the lattice
        var grid = new SquareGrid(new Envelope(0, 400, 0, 300), 100);
        Assert.Equal(12, grid.CellCount);
        var centres = grid.Centroids();
        IEnumerable<int> Queen(int i) => Enumerable.Range(0, 12).Where(j => j != i && centres[i].Distance(centres[j]) < 150);
        IEnumerable<int> Rook(int i) => Enumerable.Range(0, 12).Where(j => j != i && centres[i].Distance(centres[j]) < 101);
        double[] x = [5, 8, 2, 0, 7, 9, 1, 1, 3, 4, 0, 2];
        var queen = grid.Contiguity(ContiguityRule.Queen);
        AssertNeighbours(queen, Queen);
        AssertZ(BinaryZ(x, Queen), GetisOrdGiStar.Compute(x, queen).Z);
        AssertZ(RowStandardisedZ(x, Queen), GetisOrdGiStar.Compute(x, queen, WeightsTransform.RowStandardised).Z);
        var rook = grid.Contiguity(ContiguityRule.Rook);
        AssertNeighbours(rook, Rook);
        AssertZ(BinaryZ(x, Rook), GetisOrdGiStar.Compute(x, rook).Z);
        // the lattice agrees with the polygons' shared vertices and with a distance band through the diagonals
        var polygons = Enumerable.Range(0, 12).Select(c => (NetTopologySuite.Geometries.Geometry)grid.CellPolygon(c, Factory)).ToList();
        AssertNeighbours(SpatialWeights.Contiguity(polygons, ContiguityRule.Queen), Queen);
        AssertZ(GetisOrdGiStar.Compute(x, queen).Z, GetisOrdGiStar.Compute(x, SpatialWeights.DistanceBand(centres, 142)).Z);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WithKNearestNeighbours(int k)
    {
        // irregular points without ties among anyone's k nearest
        Coordinate[] points = [new(0, 0), new(1, 0.2), new(2.5, 0.1), new(0.3, 1.7), new(3.9, 2.2), new(1.8, 3.1), new(6, 0.4), new(4.4, 4.6)];
        double[] x = [12, 10, 3, 8, 1, 4, 0, 2];
        IEnumerable<int> Nearest(int i) => Enumerable.Range(0, points.Length).Where(j => j != i).OrderBy(j => points[i].Distance(points[j])).Take(k);
        var w = SpatialWeights.KNearest(points, k);
        AssertNeighbours(w, Nearest);
        Assert.All(Enumerable.Range(0, points.Length), i => Assert.Equal(k, w.Cardinality(i)));
        AssertZ(BinaryZ(x, Nearest), GetisOrdGiStar.Compute(x, w).Z);
        AssertZ(RowStandardisedZ(x, Nearest), GetisOrdGiStar.Compute(x, w, WeightsTransform.RowStandardised).Z);
    }
}
