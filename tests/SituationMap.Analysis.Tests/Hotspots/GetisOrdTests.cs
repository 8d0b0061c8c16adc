using NetTopologySuite.Geometries;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// Getis–Ord statistics on esda's six-point example (/work/shared/reference/pysal-esda.md and esda's docstrings):
/// distance band 15, inclusive, so (15, 20)–(30, 20), exactly 15 apart, are neighbours. Tolerance 1e-7 absolute
/// (esda's own), well inside the 1e-6 asked for.
/// </summary>
public sealed class GetisOrdTests
{
    private static readonly Coordinate[] Points = [new(10, 10), new(20, 10), new(40, 10), new(15, 20), new(30, 20), new(30, 30)];
    private static readonly double[] Y = [2, 3, 3.2, 5, 8, 7];

    private static SpatialWeights Band => SpatialWeights.DistanceBand(Points, 15);

    [Fact]
    public void LocalGWithBinaryWeightsMatchesEsda() =>
        AssertAll([-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941], GetisOrdGi.Compute(Y, Band).Z);

    [Fact]
    public void LocalGStarWithBinaryWeightsMatchesEsda() =>
        AssertAll([-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331], GetisOrdGiStar.Compute(Y, Band).Z);

    [Fact]
    public void LocalGWithRowStandardisedWeightsMatchesEsda() =>
        AssertAll([-0.62074534, -0.01780611, 1.31558703, -0.12824171, 0.28843496, 1.77833941], GetisOrdGi.Compute(Y, Band, WeightsTransform.RowStandardised).Z);

    [Fact]
    public void LocalGStarWithRowStandardisedWeightsMatchesEsdasDocstring() =>
        AssertAll([-0.62488094, -0.09144599, 0.41150696, -0.09144599, 0.24690418, 1.28024388], GetisOrdGiStar.Compute(Y, Band, WeightsTransform.RowStandardised).Z);

    [Fact]
    public void GeneralGAndItsOneSidedNormalPMatchEsda()
    {
        var g = GetisOrdGeneralG.Compute(Y, Band);
        Assert.Equal(0.55709779, g.G, 1e-8);
        Assert.Equal(0.172936, g.POneSided, 1e-6);
        Assert.Equal(2 * g.POneSided, g.PTwoSided, 1e-15);
    }

    [Fact]
    public void ThePairExactlyAtTheThresholdIsANeighbourAndDropsOutJustBelowIt()
    {
        Assert.Equal(1, Band.Weight(3, 4));
        Assert.Equal(1, Band.Weight(4, 3));
        var below = SpatialWeights.DistanceBand(Points, 15 - 1e-9);
        Assert.Equal(0, below.Weight(3, 4));
        // Gi changes accordingly: with the pair, point 3's z is esda's −0.31412676
        Assert.NotEqual(-0.31412676, GetisOrdGi.Compute(Y, below).Z[3], 1e-3);
    }

    [Fact]
    public void LocalGStarEqualsArcGisFormulaForBinaryWeights()
    {
        // ArcGIS: z = (Σ w x − x̄ Σ w) / (S √((n Σ w² − (Σ w)²)/(n − 1))), self included, S the population SD
        var gi = GetisOrdGiStar.Compute(Y, Band);
        var n = Y.Length;
        var mean = Y.Average();
        var s = Math.Sqrt(Y.Sum(v => v * v) / n - mean * mean);
        for (var i = 0; i < n; i++)
        {
            var members = Band.NeighboursOf(i).ToArray().Append(i).ToArray();
            double wSum = members.Length;
            var z = (members.Sum(j => Y[j]) - mean * wSum) / (s * Math.Sqrt((n * wSum - wSum * wSum) / (n - 1)));
            Assert.Equal(z, gi.Z[i], 1e-12);
        }
    }

    [Fact]
    public void PValuesAreTheNormalTailsOfTheZScores()
    {
        var gi = GetisOrdGiStar.Compute(Y, Band);
        // scipy.stats.norm.sf(2.02424331) = 0.021472561678564442
        Assert.Equal(0.021472561678564442, gi.POneSided[5], 1e-9);
        Assert.Equal(2 * gi.POneSided[5], gi.PTwoSided[5], 1e-15);
        Assert.Equal(HotSpotBin.Hot95, gi.Bins[5]);
        Assert.Equal(HotSpotBin.NotSignificant, gi.Bins[0]);
    }

    [Fact]
    public void BinsFollowArcGisConfidenceLevels()
    {
        double[] z = [2.6, 2.0, 1.7, 1.6, -1.7, -2.0, -2.6, 0];
        var p = z.Select(v => 2 * (1 - NormalCdf(Math.Abs(v)))).ToArray();
        Assert.Equal(
            [HotSpotBin.Hot99, HotSpotBin.Hot95, HotSpotBin.Hot90, HotSpotBin.NotSignificant, HotSpotBin.Cold90, HotSpotBin.Cold95, HotSpotBin.Cold99, HotSpotBin.NotSignificant],
            HotSpotBins.Classify(z, p));
    }

    [Fact]
    public void BenjaminiHochbergRejectsTheFourSmallestOfTheirFifteenPValues()
    {
        // Benjamini & Hochberg (1995), section 4: 15 p-values, q = 0.05 → 4 rejections
        double[] p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000];
        Assert.Equal(0.0095, FalseDiscoveryRate.Threshold(p, 0.05));
        Assert.Equal(4, FalseDiscoveryRate.Significant(p, 0.05).Count(s => s));
        Assert.Equal(-1, FalseDiscoveryRate.Threshold([0.5, 0.9], 0.05));
    }

    [Fact]
    public void FalseDiscoveryRateCorrectionNeverAddsSignificantBins()
    {
        var random = new Random(5);
        var z = Enumerable.Range(0, 500).Select(_ => 3 * (random.NextDouble() - 0.5) * 2).ToArray();
        var p = z.Select(v => 2 * (1 - NormalCdf(Math.Abs(v)))).ToArray();
        var plain = HotSpotBins.Classify(z, p);
        var corrected = HotSpotBins.Classify(z, p, falseDiscoveryRate: true);
        Assert.True(corrected.Count(b => b != 0) < plain.Count(b => b != 0));
        for (var i = 0; i < z.Length; i++) Assert.True(Math.Abs((int)corrected[i]) <= Math.Abs((int)plain[i]));
    }

    private static void AssertAll(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-7);
    }

    // an independent Φ for the tests: Φ(x) = ½ + φ(x)·Σ x^(2k+1)/(1·3·…·(2k+1)), which converges for all x
    private static double NormalCdf(double x)
    {
        var term = x;
        var sum = x;
        for (var k = 1; k < 500 && Math.Abs(term) > 1e-18 * Math.Abs(sum); k++)
        {
            term *= x * x / (2 * k + 1);
            sum += term;
        }
        return 0.5 + Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI) * sum;
    }
}
