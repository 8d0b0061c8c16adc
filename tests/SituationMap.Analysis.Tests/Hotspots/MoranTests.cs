using SituationMap.Analysis.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// Global and local Moran's I against PySAL esda's published values (/work/shared/reference/pysal-esda.md). Tolerances:
/// 1e-7 absolute on statistics and moments (esda's own tests use rtol = atol = 1e-7), 1e-6 relative on p-values.
/// Tests that need pysal-examples write a SKIPPED line to the output and return when the data are absent.
/// </summary>
public sealed class MoranTests(ITestOutputHelper output)
{
    [Fact]
    public void StLouisHomicideRatesMatchEsdaWhenTheExampleDataArePresent()
    {
        if (PysalExamples.StLouis(output) is not var (y, w)) return;
        var moran = GlobalMoran.Compute(y, w);
        Assert.Equal(78, y.Length);
        Assert.Equal(0.24365582621771659, moran.I, 1e-7);
        Assert.Equal(-1.0 / 77, moran.ExpectedI, 1e-12);
        AssertRelative(0.00013573931385468807, moran.PNormalityOneTailed, 1e-6);
        AssertRelative(0.00027147862770937614, moran.PNormalityTwoTailed, 1e-6);  // esda's two-tailed default (docstring)
    }

    [Fact]
    public void NorthCarolinaSidsRatesMatchEsdaWhenTheExampleDataArePresent()
    {
        if (PysalExamples.Sids(output) is not var (y, w)) return;
        var moran = GlobalMoran.Compute(y, w);
        Assert.Equal(100, y.Length);
        Assert.Equal(0.24772519320480135, moran.I, 1e-7);
        AssertRelative(5.7916539074498452e-05, moran.PNormalityOneTailed, 1e-6);
        AssertRelative(0.0001158330781489969, moran.PNormalityTwoTailed, 1e-6);
    }

    [Fact]
    public void ThreeByThreeLatticeVariancesMatchEsda()
    {
        // libpysal lat2W(3, 3) rook contiguity, binary weights, y = 1..9
        var lattice = new SquareGrid(new NetTopologySuite.Geometries.Envelope(0, 3, 0, 3), 1).Contiguity(ContiguityRule.Rook);
        var y = Enumerable.Range(1, 9).Select(i => (double)i).ToArray();
        var moran = GlobalMoran.Compute(y, lattice, WeightsTransform.Binary);
        Assert.Equal(0.0596875, moran.VarianceRandomisation, 1e-10);
        Assert.Equal(0.053125, moran.VarianceNormality, 1e-10);
    }

    [Fact]
    public void DeSmithLocalMoranConditionalMomentsAndQuadrantsMatchEsdaWhenTheExampleDataArePresent()
    {
        if (PysalExamples.DeSmith(output) is not var (y, w)) return;
        var lisa = LocalMoran.Compute(y, w, permutations: 99, seed: 10);
        double[] eic = [-0.00838113, -0.0243949, -0.07031778, -0.21520869, -0.16547163, -0.00178435, -0.11531888, -0.36138555, -0.05471258, -0.09413562];
        double[] vic = [0.03636013, 0.10412408, 0.28600769, 0.26389674, 0.21576683, 0.00779261, 0.44633942, 0.57696508, 0.12929777, 0.3730742];
        byte[] quadrants = [4, 4, 4, 2, 3, 3, 1, 4, 3, 3];
        for (var i = 0; i < y.Length; i++)
        {
            Assert.Equal(eic[i], lisa.ExpectedConditional[i], 1e-7);
            Assert.Equal(vic[i], lisa.VarianceConditional[i], 1e-7);
            Assert.Equal(quadrants[i], (byte)lisa.Quadrants[i]);
        }
    }

    [Fact]
    public void LocalMoranStatisticIsTheNMinusOneScaledProductOfStandardisedValueAndLag()
    {
        // a 4×4 rook lattice; hand computation of esda's I_i = (n − 1) z_i lag_i / Σ z²
        var w = new SquareGrid(new NetTopologySuite.Geometries.Envelope(0, 4, 0, 4), 1).Contiguity(ContiguityRule.Rook);
        double[] y = [1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 9, 6, 4, 5, 6, 7];
        var lisa = LocalMoran.Compute(y, w, permutations: 0);
        var mean = y.Average();
        var sd = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / y.Length);
        var z = y.Select(v => (v - mean) / sd).ToArray();
        var sumSquares = z.Sum(v => v * v);
        for (var i = 0; i < y.Length; i++)
        {
            var neighbours = w.NeighboursOf(i).ToArray();
            var lag = neighbours.Sum(j => z[j]) / neighbours.Length;
            Assert.Equal((y.Length - 1) * z[i] * lag / sumSquares, lisa.I[i], 1e-12);
        }
        // with row-standardised weights (S0 = n) the global I is Σ I_i / (n − 1)
        var global = GlobalMoran.Compute(y, w);
        Assert.Equal(global.I, lisa.I.Sum() / (y.Length - 1), 1e-12);
    }

    [Fact]
    public void ConditionalPermutationsConvergeToTheAnalyticConditionalMomentsWhenTheExampleDataArePresent()
    {
        if (PysalExamples.StLouis(output) is not var (y, w)) return;
        const int permutations = 20_000;
        var lisa = LocalMoran.Compute(y, w, permutations: permutations, seed: 7);
        for (var i = 0; i < y.Length; i++)
        {
            // the mean of P draws is within 5 standard errors of EIc; the variance within 6 % of VIc
            Assert.InRange(lisa.MeanSimulated[i] - lisa.ExpectedConditional[i], -5 * Math.Sqrt(lisa.VarianceConditional[i] / permutations), 5 * Math.Sqrt(lisa.VarianceConditional[i] / permutations));
            Assert.InRange(lisa.VarianceSimulated[i] / lisa.VarianceConditional[i], 0.94, 1.06);
        }
    }

    [Fact]
    public void PseudoPValuesLieBetweenOneOverPPlusOneAndOneHalfAndRepeatForTheSameSeed()
    {
        var grid = new SquareGrid(new NetTopologySuite.Geometries.Envelope(0, 10, 0, 10), 1);
        var w = grid.Contiguity(ContiguityRule.Queen);
        var random = new Random(3);
        var y = Enumerable.Range(0, grid.CellCount).Select(i => random.NextDouble() + (i % 10 < 3 && i / 10 < 3 ? 5 : 0)).ToArray();
        const int permutations = 199;
        var first = LocalMoran.Compute(y, w, permutations: permutations, seed: 42);
        var again = LocalMoran.Compute(y, w, permutations: permutations, seed: 42);
        var other = LocalMoran.Compute(y, w, permutations: permutations, seed: 43);
        Assert.Equal(first.PseudoP, again.PseudoP);
        Assert.Equal(first.MeanSimulated, again.MeanSimulated);
        Assert.NotEqual(first.MeanSimulated, other.MeanSimulated);
        foreach (var p in first.PseudoP) Assert.InRange(p, 1.0 / (permutations + 1), 0.5 + 1.0 / (permutations + 1));
        // the planted 3×3 block of high values is a significant High-High cluster at its centre
        Assert.Equal(MoranQuadrant.HighHigh, first.Clusters(0.05)[1 * 10 + 1]);
        Assert.Equal(1.0 / (permutations + 1), first.PseudoP[1 * 10 + 1]);
    }

    [Fact]
    public void GlobalPermutationInferenceRejectsRandomnessForStLouisWhenTheExampleDataArePresent()
    {
        if (PysalExamples.StLouis(output) is not var (y, w)) return;
        var moran = GlobalMoran.Compute(y, w, permutations: 999, seed: 12345);
        Assert.InRange(moran.PseudoP, 0.001, 0.01);
        Assert.Equal(moran, GlobalMoran.Compute(y, w, permutations: 999, seed: 12345));
        Assert.Equal(-1.0 / 77, moran.MeanSimulated, 0.01);
    }

    private static void AssertRelative(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R} (relative tolerance {relative})");
}
