namespace SituationMap.Analysis.Hotspots;

/// <summary>Result of <see cref="GetisOrdGeneralG"/> (esda's <c>G</c>).</summary>
public sealed record GeneralGResult(double G, double ExpectedG, double VarianceG, double Z, double POneSided, double PTwoSided);

/// <summary>
/// Getis–Ord General G, the global high/low clustering statistic, with its normal approximation exactly as PySAL esda's
/// <c>G(y, w)</c>: binary weights, G = Σᵢ Σⱼ wᵢⱼ yᵢ yⱼ / Σᵢ Σⱼ≠ᵢ yᵢ yⱼ, E[G] = S₀/(n(n − 1)), Var[G] from the moments
/// b₀…b₄ of Getis and Ord (1992); p one-sided = P(Z ≥ |z|) (esda's <c>p_norm</c>), two-sided twice that. O(n + pairs).
/// </summary>
public sealed class GetisOrdGeneralG
{
    public GetisOrdGeneralG(SpatialWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights.Transform(WeightsTransform.Binary);
    }

    /// <summary>The weights, made binary.</summary>
    public SpatialWeights Weights { get; }

    public static GeneralGResult Compute(ReadOnlySpan<double> values, SpatialWeights weights) => new GetisOrdGeneralG(weights).Compute(values);

    public GeneralGResult Compute(ReadOnlySpan<double> y)
    {
        var n = (double)y.Length;
        if (Weights.Count != y.Length) throw new ArgumentException($"The weights are for {Weights.Count} units, the values for {y.Length}.", nameof(y));
        if (y.Length < 4) throw new ArgumentException("General G needs at least 4 units.", nameof(y));
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        foreach (var v in y)
        {
            s1 += v;
            s2 += v * v;
            s3 += v * v * v;
            s4 += v * v * v * v;
        }
        var w0 = Weights.S0;
        var w1 = Weights.S1;
        var w2 = Weights.S2;
        var w00 = w0 * w0;
        var n2 = n * n;
        var expected = w0 / (n * (n - 1));
        var b0 = (n2 - 3 * n + 3) * w1 - n * w2 + 3 * w00;
        var b1 = -((n2 - n) * w1 - 2 * n * w2 + 6 * w00);
        var b2 = -(2 * n * w1 - (n + 3) * w2 + 6 * w00);
        var b3 = 4 * (n - 1) * w1 - 2 * (n + 1) * w2 + 8 * w00;
        var b4 = w1 - w2 + w00;
        var eg2 = b0 * s2 * s2 + b1 * s4 + b2 * s1 * s1 * s2 + b3 * s1 * s3 + b4 * s1 * s1 * s1 * s1;
        eg2 /= (s1 * s1 - s2) * (s1 * s1 - s2) * n * (n - 1) * (n - 2) * (n - 3);
        var variance = eg2 - expected * expected;
        var lag = Weights.Lag(y);
        var numerator = 0.0;
        for (var i = 0; i < y.Length; i++) numerator += y[i] * lag[i];
        var g = numerator / (s1 * s1 - s2);
        var z = (g - expected) / Math.Sqrt(variance);
        var pOne = StandardNormal.Survival(Math.Abs(z));
        return new GeneralGResult(g, expected, variance, z, pOne, 2 * pOne);
    }
}
