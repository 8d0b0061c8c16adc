using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>Spatial weights: distance band (inclusive), k nearest, contiguity, transforms and the S₀/S₁/S₂ sums.</summary>
public sealed class SpatialWeightsTests(ITestOutputHelper output)
{
    [Fact]
    public void DistanceBandFindsEsdasNeighboursOfTheSixPoints()
    {
        Coordinate[] points = [new(10, 10), new(20, 10), new(40, 10), new(15, 20), new(30, 20), new(30, 30)];
        var w = SpatialWeights.DistanceBand(points, 15);
        int[][] expected = [[1, 3], [0, 3, 4], [4], [0, 1, 4], [1, 2, 3, 5], [4]];
        for (var i = 0; i < points.Length; i++) Assert.Equal(expected[i], w.NeighboursOf(i).ToArray());
        Assert.Equal(14, w.S0);
        Assert.True(w.IsSymmetric());
    }

    [Fact]
    public void DistanceBandEqualsBruteForceOnRandomPoints()
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, 800).Select(_ => random.NextDouble() * 1000).ToArray();
        var y = Enumerable.Range(0, 800).Select(_ => random.NextDouble() * 1000).ToArray();
        var w = SpatialWeights.DistanceBand(x, y, 60);
        for (var i = 0; i < x.Length; i++)
        {
            var brute = Enumerable.Range(0, x.Length).Where(j => j != i && Math.Sqrt((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j])) <= 60).ToArray();
            Assert.Equal(brute, w.NeighboursOf(i).ToArray());
        }
    }

    [Fact]
    public void KNearestTakesTheKClosestAndBreaksTiesByIndex()
    {
        // a 5 × 5 lattice with spacing 1: the centre's 4 nearest are its rook neighbours; a corner's 3 nearest are
        // its two edge neighbours and then, among the tied diagonal/second-row candidates at √2 vs 2, the diagonal
        var x = Enumerable.Range(0, 25).Select(i => (double)(i % 5)).ToArray();
        var y = Enumerable.Range(0, 25).Select(i => (double)(i / 5)).ToArray();
        var w = SpatialWeights.KNearest(x, y, 4);
        Assert.Equal([7, 11, 13, 17], w.NeighboursOf(12).ToArray());
        var three = SpatialWeights.KNearest(x, y, 3);
        Assert.Equal([1, 5, 6], three.NeighboursOf(0).ToArray());
        // ties: the centre has 4 neighbours at distance 1 and asks for 2 → the two lowest indices
        Assert.Equal([7, 11], SpatialWeights.KNearest(x, y, 2).NeighboursOf(12).ToArray());
        Assert.All(Enumerable.Range(0, 25), i => Assert.Equal(4, w.Cardinality(i)));
    }

    [Fact]
    public void KNearestEqualsBruteForceOnRandomPoints()
    {
        var random = new Random(8);
        var x = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * 1000).ToArray();
        var y = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * 200).ToArray();
        var w = SpatialWeights.KNearest(x, y, 6);
        for (var i = 0; i < x.Length; i++)
        {
            var brute = Enumerable.Range(0, x.Length).Where(j => j != i)
                .OrderBy(j => Math.Sqrt((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]))).ThenBy(j => j)
                .Take(6).Order().ToArray();
            Assert.Equal(brute, w.NeighboursOf(i).ToArray());
        }
    }

    [Fact]
    public void SumsS0S1S2MatchTheirDefinitionsForAsymmetricWeights()
    {
        var w = SpatialWeights.FromNeighbours(
            [[1, 2], [2], [0], [0, 1, 2]],
            [[0.5, 2], [1], [3], [1, 1, 4]]);
        var dense = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            var n = w.NeighboursOf(i);
            for (var k = 0; k < n.Length; k++) dense[i, n[k]] = w.WeightsOf(i)[k];
        }
        double s0 = 0, s1 = 0, s2 = 0;
        for (var i = 0; i < 4; i++)
        {
            double row = 0, column = 0;
            for (var j = 0; j < 4; j++)
            {
                s0 += dense[i, j];
                s1 += (dense[i, j] + dense[j, i]) * (dense[i, j] + dense[j, i]);
                row += dense[i, j];
                column += dense[j, i];
            }
            s2 += (row + column) * (row + column);
        }
        Assert.Equal(s0, w.S0, 1e-12);
        Assert.Equal(s1 / 2, w.S1, 1e-12);
        Assert.Equal(s2, w.S2, 1e-12);
        Assert.False(w.IsSymmetric());
    }

    [Fact]
    public void RowStandardisedRowsSumToOneAndBinaryWeightsAreOne()
    {
        var w = SpatialWeights.FromNeighbours([[1, 2], [0], [0], []], [[1, 3], [2], [5], []]);
        var rows = w.Transform(WeightsTransform.RowStandardised);
        Assert.Equal([0.25, 0.75], rows.WeightsOf(0).ToArray());
        Assert.Equal([1.0], rows.WeightsOf(1).ToArray());
        Assert.Empty(rows.WeightsOf(3).ToArray());
        Assert.Equal(1, rows.IslandCount);
        Assert.All(w.Transform(WeightsTransform.Binary).WeightsOf(0).ToArray(), v => Assert.Equal(1, v));
        Assert.Same(w, w.Transform(WeightsTransform.AsGiven));
    }

    [Fact]
    public void NeighbourListsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => SpatialWeights.FromNeighbours([[0]]));
        Assert.Throws<ArgumentException>(() => SpatialWeights.FromNeighbours([[1, 1], [0]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpatialWeights.FromNeighbours([[5]]));
    }

    [Fact]
    public void RookContiguityBuiltFromStLouisPolygonsReproducesTheGalFilesWhenTheExampleDataArePresent()
    {
        var (folder, reason) = ExternalData.Locate("pysal-examples", "stl");
        if (folder is null)
        {
            output.WriteLine(reason);
            return;
        }
        // stl_hom.csv holds each county's WKT in its first, quoted column
        var reader = new WKTReader();
        var polygons = File.ReadLines(Path.Combine(folder, "stl_hom.csv")).Skip(1)
            .Select(line => reader.Read(line[1..line.IndexOf('"', 1)]))
            .ToArray();
        var rook = SpatialWeights.Contiguity(polygons, ContiguityRule.Rook);
        var queen = SpatialWeights.Contiguity(polygons, ContiguityRule.Queen);
        var rookGal = GalFile.Read(Path.Combine(folder, "stl_hom_rook.gal")).Weights;
        var stlGal = GalFile.Read(Path.Combine(folder, "stl.gal")).Weights;  // documented as queen, but identical to the rook file
        for (var i = 0; i < polygons.Length; i++)
        {
            Assert.Equal(rookGal.NeighboursOf(i).ToArray(), rook.NeighboursOf(i).ToArray());
            Assert.Equal(stlGal.NeighboursOf(i).ToArray(), rook.NeighboursOf(i).ToArray());
        }
        // queen adds exactly the pairs of counties that meet at a single corner (four such pairs)
        var cornerOnly = new List<(int, int)>();
        for (var i = 0; i < polygons.Length; i++)
        {
            foreach (var j in queen.NeighboursOf(i).ToArray().Except(rook.NeighboursOf(i).ToArray()))
            {
                Assert.Single(polygons[i].Coordinates.Distinct().Intersect(polygons[j].Coordinates.Distinct()));
                if (i < j) cornerOnly.Add((i, j));
            }
        }
        Assert.Equal([(32, 36), (34, 39), (65, 75), (66, 72)], cornerOnly);
    }
}
