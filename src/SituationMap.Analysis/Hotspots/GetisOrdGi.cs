namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Local Getis–Ord Gi (the unit itself left out of its neighbourhood) with analytic normal inference, exactly as PySAL
/// esda's <c>G_Local(y, w, transform, star=False)</c>: Gᵢ = Σⱼ wᵢⱼ yⱼ / (Σⱼ yⱼ − yᵢ); with N = n − 1 and Wᵢ = Σⱼ wᵢⱼ
/// (after the transform), E[Gᵢ] = Wᵢ/N and Var[Gᵢ] = Wᵢ(N − Wᵢ)/(N − 1) / N² · s²/ȳ², where ȳ and s² are the mean and
/// (population) variance of the other N values. z = (Gᵢ − E)/√Var; p one-sided = P(Z ≥ |z|), two-sided twice that.
/// The values should be non-negative (counts, rates). O(n + pairs).
/// </summary>
public sealed class GetisOrdGi
{
    public GetisOrdGi(SpatialWeights weights, WeightsTransform transform = WeightsTransform.Binary, bool falseDiscoveryRate = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        LocalG.CheckTransform(transform);
        Weights = weights;
        Transform = transform;
        FalseDiscoveryRate = falseDiscoveryRate;
    }

    public SpatialWeights Weights { get; }

    /// <summary>Binary (esda "B") or row-standardised (esda "R").</summary>
    public WeightsTransform Transform { get; }

    /// <summary>Whether the hot/cold bins use the Benjamini–Hochberg correction.</summary>
    public bool FalseDiscoveryRate { get; }

    public LocalGResult Compute(ReadOnlySpan<double> values) => LocalG.Compute(values, Weights, Transform, star: false, FalseDiscoveryRate);

    public static LocalGResult Compute(ReadOnlySpan<double> values, SpatialWeights weights, WeightsTransform transform = WeightsTransform.Binary, bool falseDiscoveryRate = false) =>
        new GetisOrdGi(weights, transform, falseDiscoveryRate).Compute(values);
}

internal static class LocalG
{
    public static void CheckTransform(WeightsTransform transform)
    {
        if (transform is not (WeightsTransform.Binary or WeightsTransform.RowStandardised))
        {
            throw new ArgumentOutOfRangeException(nameof(transform), transform, "Getis–Ord statistics take binary or row-standardised weights (as esda).");
        }
    }

    public static LocalGResult Compute(ReadOnlySpan<double> y, SpatialWeights weights, WeightsTransform transform, bool star, bool falseDiscoveryRate)
    {
        var n = y.Length;
        if (weights.Count != n) throw new ArgumentException($"The weights are for {weights.Count} units, the values for {n}.", nameof(y));
        if (n < 3) throw new ArgumentException("Local G needs at least 3 units.", nameof(y));
        double sum = 0, sumSquares = 0;
        foreach (var v in y)
        {
            if (!double.IsFinite(v)) throw new ArgumentException("The values must be finite.", nameof(y));
            sum += v;
            sumSquares += v * v;
        }
        var removeSelf = star ? 0.0 : 1.0;
        double bigN = n - (int)removeSelf;
        var g = new double[n];
        var expected = new double[n];
        var variance = new double[n];
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var neighbours = weights.NeighboursOf(i);
            var w = weights.WeightsOf(i);
            double selfWeight = 0, rowTotal = 0, lag = 0;
            if (transform == WeightsTransform.Binary)
            {
                for (var k = 0; k < neighbours.Length; k++) lag += y[neighbours[k]];
                rowTotal = neighbours.Length;
                if (star) selfWeight = 1;
            }
            else
            {
                var max = 0.0;
                for (var k = 0; k < neighbours.Length; k++)
                {
                    lag += w[k] * y[neighbours[k]];
                    rowTotal += w[k];
                    max = Math.Max(max, w[k]);
                }
                if (star) selfWeight = neighbours.Length == 0 ? 1 : max;
                var scale = rowTotal + selfWeight;
                if (scale > 0)
                {
                    lag /= scale;
                    rowTotal /= scale;
                    selfWeight /= scale;
                }
            }
            lag += selfWeight * y[i];
            var cardinality = rowTotal + selfWeight;
            var others = sum - y[i] * removeSelf;
            var mean = others / bigN;
            var meanOfSquares = (sumSquares - y[i] * y[i] * removeSelf) / bigN;
            var empiricalVariance = meanOfSquares - mean * mean;
            g[i] = lag / others;
            expected[i] = cardinality / bigN;
            variance[i] = cardinality * (bigN - cardinality) / (bigN - 1) / (bigN * bigN) * empiricalVariance / (mean * mean);
            z[i] = variance[i] > 0 ? (g[i] - expected[i]) / Math.Sqrt(variance[i]) : double.NaN;
        }
        return new LocalGResult(star, transform, falseDiscoveryRate, g, expected, variance, z);
    }
}
