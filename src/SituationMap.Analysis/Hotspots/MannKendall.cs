namespace SituationMap.Analysis.Hotspots;

/// <summary>Result of <see cref="MannKendall"/>.</summary>
/// <param name="S">S = Σ_{i&lt;j} sign(xⱼ − xᵢ).</param>
/// <param name="VarianceS">Var(S) with the tie correction.</param>
/// <param name="Z">Continuity-corrected normal score: (S − 1)/√Var if S &gt; 0, (S + 1)/√Var if S &lt; 0, else 0.</param>
/// <param name="PTwoSided">2·P(Z ≥ |z|).</param>
/// <param name="Tau">Kendall's τ_a = S / (n(n − 1)/2).</param>
public readonly record struct TrendTest(double S, double VarianceS, double Z, double PTwoSided, double Tau)
{
    /// <summary>A significant upward (+1) or downward (−1) trend at level α, or 0.</summary>
    public int Direction(double alpha) => PTwoSided <= alpha ? Math.Sign(Z) : 0;
}

/// <summary>
/// The Mann–Kendall trend test with the normal approximation and tie correction (as esda's <c>_mann_kendall</c> and
/// ArcGIS's Emerging Hot Spot Analysis): Var(S) = [n(n − 1)(2n + 5) − Σₜ t(t − 1)(2t + 5)]/18 over groups of t tied
/// values. NaN values are left out; with fewer than 3 values, or Var(S) = 0, the test is Z = 0, p = 1. O(n²) for n values.
/// </summary>
public static class MannKendall
{
    public static TrendTest Test(ReadOnlySpan<double> series)
    {
        Span<double> values = series.Length <= 512 ? stackalloc double[series.Length] : new double[series.Length];
        var n = 0;
        foreach (var v in series)
        {
            if (!double.IsNaN(v)) values[n++] = v;
        }
        values = values[..n];
        if (n < 3) return new TrendTest(0, 0, 0, 1, 0);
        var s = 0.0;
        for (var i = 0; i < n - 1; i++)
        {
            var xi = values[i];
            for (var j = i + 1; j < n; j++) s += Math.Sign(values[j] - xi);
        }
        values.Sort();
        var ties = 0.0;
        for (var i = 0; i < n;)
        {
            var j = i + 1;
            while (j < n && values[j] == values[i]) j++;
            double t = j - i;
            if (t > 1) ties += t * (t - 1) * (2 * t + 5);
            i = j;
        }
        var nn = (double)n;
        var variance = (nn * (nn - 1) * (2 * nn + 5) - ties) / 18;
        var tau = s / (nn * (nn - 1) / 2);
        if (!(variance > 0)) return new TrendTest(s, variance, 0, 1, tau);
        var z = s > 0 ? (s - 1) / Math.Sqrt(variance) : s < 0 ? (s + 1) / Math.Sqrt(variance) : 0;
        return new TrendTest(s, variance, z, StandardNormal.TwoSided(z), tau);
    }
}
