namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Result of <see cref="GlobalMoran"/>. The one-tailed p-values lie on the side of the z-score (esda's
/// <c>two_tailed=False</c>); the two-tailed ones are twice that (esda's default). Permutation fields are NaN when no
/// permutations were run.
/// </summary>
public sealed record GlobalMoranResult(
    double I,
    double ExpectedI,
    double VarianceNormality,
    double VarianceRandomisation,
    double ZNormality,
    double ZRandomisation,
    double PNormalityOneTailed,
    double PNormalityTwoTailed,
    double PRandomisationOneTailed,
    double PRandomisationTwoTailed,
    int Permutations,
    double PseudoP,
    double MeanSimulated,
    double VarianceSimulated,
    double ZSimulated,
    double PZSimulated);

/// <summary>
/// Global Moran's I with analytic inference under normality and under randomisation (Cliff and Ord 1981) and optional
/// permutation inference, exactly as PySAL esda's <c>Moran(y, w, transformation)</c>:
/// I = n/S₀ · Σᵢ zᵢ·lagᵢ / Σ zᵢ² with z = y − ȳ; E[I] = −1/(n − 1);
/// Var_N = (n²S₁ − nS₂ + 3S₀²)/((n² − 1)S₀²) − E[I]²;
/// Var_R = [n((n² − 3n + 3)S₁ − nS₂ + 3S₀²) − b₂((n² − n)S₁ − 2nS₂ + 6S₀²)] / ((n − 1)(n − 2)(n − 3)S₀²) − E[I]², b₂ the kurtosis.
/// Permutations shuffle the whole vector (seeded); the pseudo p-value is esda's folded (k + 1)/(P + 1).
/// Cost O(n + pairs) analytic, plus O(P · (n + pairs)) for P permutations.
/// </summary>
public sealed class GlobalMoran
{
    public GlobalMoran(SpatialWeights weights, WeightsTransform transform = WeightsTransform.RowStandardised, int permutations = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(permutations);
        Weights = weights.Transform(transform);
        Transform = transform;
        Permutations = permutations;
        Seed = seed;
    }

    /// <summary>The weights after the transform.</summary>
    public SpatialWeights Weights { get; }

    public WeightsTransform Transform { get; }

    public int Permutations { get; }

    public int Seed { get; }

    public static GlobalMoranResult Compute(
        ReadOnlySpan<double> values, SpatialWeights weights, WeightsTransform transform = WeightsTransform.RowStandardised, int permutations = 0, int seed = 0) =>
        new GlobalMoran(weights, transform, permutations, seed).Compute(values);

    public GlobalMoranResult Compute(ReadOnlySpan<double> y)
    {
        var count = y.Length;
        if (Weights.Count != count) throw new ArgumentException($"The weights are for {Weights.Count} units, the values for {count}.", nameof(y));
        if (count < 4) throw new ArgumentException("Moran's I needs at least 4 units.", nameof(y));
        var n = (double)count;
        var mean = 0.0;
        foreach (var v in y) mean += v;
        mean /= n;
        var z = new double[count];
        double m2 = 0, m4 = 0;
        for (var i = 0; i < count; i++)
        {
            z[i] = y[i] - mean;
            m2 += z[i] * z[i];
            m4 += z[i] * z[i] * z[i] * z[i];
        }
        var s0 = Weights.S0;
        var s1 = Weights.S1;
        var s2 = Weights.S2;
        var s00 = s0 * s0;
        var n2 = n * n;
        var i0 = Statistic(z, m2);
        var expected = -1 / (n - 1);
        var varianceNormality = (n2 * s1 - n * s2 + 3 * s00) / ((n - 1) * (n + 1) * s00) - expected * expected;
        var kurtosis = m4 / n / ((m2 / n) * (m2 / n));
        var a = n * ((n2 - 3 * n + 3) * s1 - n * s2 + 3 * s00);
        var b = kurtosis * ((n2 - n) * s1 - 2 * n * s2 + 6 * s00);
        var varianceRandomisation = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s00) - expected * expected;
        var zNormality = (i0 - expected) / Math.Sqrt(varianceNormality);
        var zRandomisation = (i0 - expected) / Math.Sqrt(varianceRandomisation);
        var pNormality = StandardNormal.OneTailedTowards(zNormality);
        var pRandomisation = StandardNormal.OneTailedTowards(zRandomisation);

        double pseudoP = double.NaN, meanSim = double.NaN, varianceSim = double.NaN, zSim = double.NaN, pZSim = double.NaN;
        if (Permutations > 0)
        {
            var random = new Random(Seed);
            var shuffled = (double[])z.Clone();
            var simulated = new double[Permutations];
            var atLeast = 0;
            for (var p = 0; p < Permutations; p++)
            {
                for (var i = shuffled.Length - 1; i > 0; i--)
                {
                    var j = random.Next(i + 1);
                    (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
                }
                simulated[p] = Statistic(shuffled, m2);
                if (simulated[p] >= i0) atLeast++;
            }
            pseudoP = PermutationInference.PseudoP(atLeast, Permutations);
            (meanSim, var sd) = PermutationInference.MeanAndDeviation(simulated);
            varianceSim = sd * sd;
            zSim = (i0 - meanSim) / sd;
            pZSim = StandardNormal.OneTailedTowards(zSim);
        }
        return new GlobalMoranResult(
            i0, expected, varianceNormality, varianceRandomisation, zNormality, zRandomisation,
            pNormality, 2 * pNormality, pRandomisation, 2 * pRandomisation,
            Permutations, pseudoP, meanSim, varianceSim, zSim, pZSim);
    }

    private double Statistic(ReadOnlySpan<double> z, double sumSquares)
    {
        var total = 0.0;
        for (var i = 0; i < z.Length; i++)
        {
            var neighbours = Weights.NeighboursOf(i);
            var w = Weights.WeightsOf(i);
            var lag = 0.0;
            for (var k = 0; k < neighbours.Length; k++) lag += w[k] * z[neighbours[k]];
            total += z[i] * lag;
        }
        return z.Length / Weights.S0 * total / sumSquares;
    }
}
