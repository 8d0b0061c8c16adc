using NetTopologySuite.Geometries;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// Emerging hot spots: the Mann–Kendall test against hand/scipy values, every pattern of the classifier from
/// constructed bin series, the space-time Gi* against brute force, and constructed cubes end to end.
/// </summary>
public sealed class EmergingHotspotsTests
{
    private static readonly TrendTest NoTrend = new(0, 1, 0, 1, 0);
    private static readonly TrendTest Rising = new(40, 100, 3.9, 1e-4, 0.8);
    private static readonly TrendTest Falling = new(-40, 100, -3.9, 1e-4, -0.8);

    [Fact]
    public void MannKendallMatchesTheNormalApproximationWithTieCorrection()
    {
        // values computed with the formulas of esda's _mann_kendall and scipy.stats.norm
        var strict = MannKendall.Test([1, 2, 3, 4, 5]);
        Assert.Equal((10, 16.666666666666668), (strict.S, strict.VarianceS));
        Assert.Equal(2.2045407685048604, strict.Z, 1e-12);
        Assert.Equal(0.02748633611151033, strict.PTwoSided, 1e-10);
        Assert.Equal(1, strict.Tau);
        var tied = MannKendall.Test([1, 2, 2, 3]);
        Assert.Equal((5, 7.666666666666667), (tied.S, tied.VarianceS));
        Assert.Equal(1.4446302370292303, tied.Z, 1e-12);
        Assert.Equal(0.14856177489186864, tied.PTwoSided, 1e-10);
        var down = MannKendall.Test([5, 3, 4, 1, 2, 2, 0, 1]);
        Assert.Equal(-18, down.S);
        Assert.Equal(-2.136154932287647, down.Z, 1e-12);
        Assert.Equal(0.032666787501214156, down.PTwoSided, 1e-10);
        Assert.Equal(-1, down.Direction(0.05));
        Assert.Equal(0, MannKendall.Test([3, 3, 3, 3]).Z);
        Assert.Equal(1, MannKendall.Test([1, double.NaN]).PTwoSided);
    }

    [Theory]
    [InlineData("..........", "none", EmergingPattern.NoPattern)]
    [InlineData("HHHHHHHH..", "none", EmergingPattern.NoPattern)]          // 80 % hot, then quiet: not historical
    [InlineData(".........H", "none", EmergingPattern.NewHotSpot)]
    [InlineData(".......HHH", "none", EmergingPattern.ConsecutiveHotSpot)]
    [InlineData("HHHHHHHHHH", "up", EmergingPattern.IntensifyingHotSpot)]
    [InlineData("HHHHHHHHHH", "none", EmergingPattern.PersistentHotSpot)]
    [InlineData(".HHHHHHHHH", "none", EmergingPattern.PersistentHotSpot)]   // exactly 90 %
    [InlineData("HHHHHHHHHH", "down", EmergingPattern.DiminishingHotSpot)]
    [InlineData("..H..H...H", "none", EmergingPattern.SporadicHotSpot)]
    [InlineData("HH.....HHH", "none", EmergingPattern.SporadicHotSpot)]     // hot before the final run: not consecutive
    [InlineData("CC.......H", "none", EmergingPattern.OscillatingHotSpot)]
    [InlineData("C........H", "none", EmergingPattern.OscillatingHotSpot)]  // earlier cold wins over "new"
    [InlineData("HHHHHHHHH.", "none", EmergingPattern.HistoricalHotSpot)]
    [InlineData(".........C", "none", EmergingPattern.NewColdSpot)]
    [InlineData("........CC", "none", EmergingPattern.ConsecutiveColdSpot)]
    [InlineData("CCCCCCCCCC", "down", EmergingPattern.IntensifyingColdSpot)]
    [InlineData("CCCCCCCCCC", "none", EmergingPattern.PersistentColdSpot)]
    [InlineData("CCCCCCCCCC", "up", EmergingPattern.DiminishingColdSpot)]
    [InlineData("C...C.C..C", "none", EmergingPattern.SporadicColdSpot)]
    [InlineData("..H......C", "none", EmergingPattern.OscillatingColdSpot)]
    [InlineData("CCCCCCCCC.", "none", EmergingPattern.HistoricalColdSpot)]
    public void ClassifierFollowsArcGisDefinitions(string series, string trend, EmergingPattern expected)
    {
        var bins = series.Select(c => c switch { 'H' => HotSpotBin.Hot90, 'C' => HotSpotBin.Cold95, _ => HotSpotBin.NotSignificant }).ToArray();
        var test = trend switch { "up" => Rising, "down" => Falling, _ => NoTrend };
        Assert.Equal(expected, EmergingHotspots.Classify(bins, test));
    }

    [Fact]
    public void NinetyPercentMeansAtLeastNineTenthsOfTheSteps()
    {
        // 20 steps: 18 hot (90 %) ending hot is persistent; 17 hot ending in one run of 17 is consecutive
        var persistent = Enumerable.Repeat(HotSpotBin.Hot99, 20).ToArray();
        persistent[3] = persistent[9] = HotSpotBin.NotSignificant;
        Assert.Equal(EmergingPattern.PersistentHotSpot, EmergingHotspots.Classify(persistent, NoTrend));
        var consecutive = Enumerable.Repeat(HotSpotBin.Hot99, 20).ToArray();
        consecutive[0] = consecutive[1] = consecutive[2] = HotSpotBin.NotSignificant;
        Assert.Equal(EmergingPattern.ConsecutiveHotSpot, EmergingHotspots.Classify(consecutive, NoTrend));
        // a trend that is not significant at 90 % does not make it intensifying
        Assert.Equal(EmergingPattern.PersistentHotSpot, EmergingHotspots.Classify(persistent, new TrendTest(20, 100, 1.5, 0.13, 0.2)));
    }

    [Fact]
    public void SpaceTimeGiStarSumsTheSpatialNeighboursOverTheCurrentAndPreviousSteps()
    {
        // brute force of the documented definition on a 4 × 3 grid (rook) with 5 steps and k = 2
        var grid = new SquareGrid(new Envelope(0, 4, 0, 3), 1);
        var w = grid.Contiguity(ContiguityRule.Rook);
        var random = new Random(5);
        var cube = new SpaceTimeCube(grid.CellCount, 5, Enumerable.Range(0, grid.CellCount * 5).Select(_ => (double)random.Next(10)).ToArray());
        var result = EmergingHotspots.Analyse(cube, w, new EmergingHotspotOptions { TimeNeighbourSteps = 2, FalseDiscoveryRate = false });
        var all = cube.Values.ToArray();
        var n = all.Length;
        var mean = all.Average();
        var s = Math.Sqrt(all.Sum(v => v * v) / n - mean * mean);
        for (var i = 0; i < grid.CellCount; i++)
        {
            for (var t = 0; t < 5; t++)
            {
                var members = w.NeighboursOf(i).ToArray().Append(i)
                    .SelectMany(j => Enumerable.Range(Math.Max(0, t - 2), Math.Min(2, t) + 1).Select(u => cube[j, u]))
                    .ToArray();
                double size = members.Length;
                var z = (members.Sum() - mean * size) / (s * Math.Sqrt((n * size - size * size) / (n - 1)));
                Assert.Equal(z, result.Z[i * 5 + t], 1e-10);
            }
        }
    }

    [Theory]
    [InlineData("persistent", EmergingPattern.PersistentHotSpot)]
    [InlineData("intensifying", EmergingPattern.IntensifyingHotSpot)]
    [InlineData("diminishing", EmergingPattern.DiminishingHotSpot)]
    [InlineData("new", EmergingPattern.NewHotSpot)]
    [InlineData("consecutive", EmergingPattern.ConsecutiveHotSpot)]
    [InlineData("sporadic", EmergingPattern.SporadicHotSpot)]
    [InlineData("oscillating", EmergingPattern.OscillatingHotSpot)]
    [InlineData("historical", EmergingPattern.HistoricalHotSpot)]
    [InlineData("persistent cold", EmergingPattern.PersistentColdSpot)]
    [InlineData("new cold", EmergingPattern.NewColdSpot)]
    [InlineData("consecutive cold", EmergingPattern.ConsecutiveColdSpot)]
    [InlineData("intensifying cold", EmergingPattern.IntensifyingColdSpot)]
    [InlineData("diminishing cold", EmergingPattern.DiminishingColdSpot)]
    [InlineData("sporadic cold", EmergingPattern.SporadicColdSpot)]
    [InlineData("oscillating cold", EmergingPattern.OscillatingColdSpot)]
    [InlineData("historical cold", EmergingPattern.HistoricalColdSpot)]
    public void ConstructedCubesGetTheirPatternAtTheCentreAndNoPatternInTheFarCorner(string scenario, EmergingPattern expected)
    {
        // a 9 × 9 grid of 100 m cells, queen neighbours by a 150 m distance band, 12 steps; background counts 4–6
        // (seeded), the 3 × 3 block around the centre follows the scenario; same-step neighbourhood, FDR on
        const int steps = 12;
        var grid = new SquareGrid(new Envelope(0, 900, 0, 900), 100);
        var w = SpatialWeights.DistanceBand(grid.Centroids(), 150);
        var random = new Random(21);
        var cube = new SpaceTimeCube(grid.CellCount, steps);
        var centre = 4 * 9 + 4;
        var block = w.NeighboursOf(centre).ToArray().Append(centre).ToHashSet();
        for (var cell = 0; cell < grid.CellCount; cell++)
        {
            for (var t = 0; t < steps; t++)
            {
                var background = 4.0 + random.Next(3);
                cube[cell, t] = block.Contains(cell) ? Block(scenario, t, steps) ?? background : background;
            }
        }
        var result = EmergingHotspots.Analyse(cube, w, new EmergingHotspotOptions { TimeNeighbourSteps = 0 });
        Assert.Equal(expected, result.Patterns[centre]);
        Assert.Equal(EmergingPattern.NoPattern, result.Patterns[0]);
    }

    [Fact]
    public void ANewHotSpotIsFoundWithArcGisDefaultNeighbourhoodOfOnePreviousStep()
    {
        const int steps = 20;
        var grid = new HexGrid(new Envelope(0, 2000, 0, 2000), 200);
        var w = SpatialWeights.DistanceBand(grid.Centroids(), 201);
        var random = new Random(3);
        var cube = new SpaceTimeCube(grid.CellCount, steps);
        var centre = grid.CellOf(1000, 1000);
        var block = w.NeighboursOf(centre).ToArray().Append(centre).ToHashSet();
        for (var cell = 0; cell < grid.CellCount; cell++)
        {
            for (var t = 0; t < steps; t++) cube[cell, t] = random.Next(6) + (block.Contains(cell) && t == steps - 1 ? 20 : 0);
        }
        var result = EmergingHotspots.Analyse(cube, w);
        Assert.Equal(EmergingPattern.NewHotSpot, result.Patterns[centre]);
        Assert.True(result.BinSeries(centre)[^1] > 0);
        Assert.Equal(steps, result.ZSeries(centre).Length);
        Assert.Equal(result.Z, EmergingHotspots.Analyse(cube, w).Z);  // deterministic
    }

    private static double? Block(string scenario, int t, int steps) => scenario switch
    {
        "persistent" => 15,
        "intensifying" => 10 + 2 * t,
        "diminishing" => 30 - t,
        "new" => t == steps - 1 ? 15 : null,
        "consecutive" => t >= steps - 3 ? 15 : null,
        "sporadic" => t is 2 or 6 || t == steps - 1 ? 15 : null,
        "oscillating" => t is >= 1 and <= 3 ? 0 : t == steps - 1 ? 15 : null,
        "historical" => t < steps - 1 ? 15 : null,
        "persistent cold" => 0,
        "new cold" => t == steps - 1 ? 0 : null,
        // the cold mirrors: the block's neighbourhood is the block itself, so its z-score follows its value alone;
        // anything up to 3 (against a background of 4–6) is a significant cold spot at every step
        "consecutive cold" => t >= steps - 3 ? 0 : null,
        "intensifying cold" => 3 - 0.25 * t,         // cold at every step and colder: z falls monotonically
        "diminishing cold" => 0.25 * t,              // cold at every step but warming: z rises monotonically
        "sporadic cold" => t is 2 or 6 || t == steps - 1 ? 0 : null,
        "oscillating cold" => t is >= 1 and <= 3 ? 15 : t == steps - 1 ? 0 : null,   // hot before, cold now
        "historical cold" => t < steps - 1 ? 0 : null,
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };
}
