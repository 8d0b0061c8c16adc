namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Exact conditional test of two Poisson counts (Przyborowski and Wilenski 1940; R's <c>poisson.test</c> with two
/// samples): with X ~ Poisson(λ₁t₁) and Y ~ Poisson(λ₂t₂) for exposures t₁, t₂ (e.g. days), under H₀: λ₁ = λ₂ the count X
/// given X + Y = m is Binomial(m, t₁/(t₁ + t₂)). The two-sided p-value is that of the exact binomial test as R's
/// <c>binom.test</c> and scipy's <c>binomtest</c> define it: the probability of every outcome no more likely than the one
/// observed (relative tolerance 1 + 10⁻⁷). Computed by walking the binomial outwards from its mode with the pmf ratio, so
/// no gamma functions are needed: O(m) in the worst case, p-values below about 10⁻³⁰⁰ are reported as 0.
/// </summary>
public static class PoissonRateTest
{
    private const double RelativeTolerance = 1 + 1e-7;

    /// <summary>Two-sided p-value for equal rates, given both counts and their exposures (equal periods by default).</summary>
    public static double TwoSidedPValue(long current, long baseline, double currentExposure = 1, double baselineExposure = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(current);
        ArgumentOutOfRangeException.ThrowIfNegative(baseline);
        if (!(currentExposure > 0) || !double.IsFinite(currentExposure)) throw new ArgumentOutOfRangeException(nameof(currentExposure));
        if (!(baselineExposure > 0) || !double.IsFinite(baselineExposure)) throw new ArgumentOutOfRangeException(nameof(baselineExposure));
        return BinomialTwoSided(current, current + baseline, currentExposure / (currentExposure + baselineExposure));
    }

    /// <summary>R's <c>binom.test(x, n, p)$p.value</c> (two-sided, "minimum likelihood" rule).</summary>
    internal static double BinomialTwoSided(long x, long n, double p)
    {
        if (n == 0) return 1;
        var q = 1 - p;
        var mode = (long)Math.Floor((n + 1) * p);
        if (mode > n) mode = n;
        var up = p / q;
        var down = q / p;
        // relative pmf r(i) = pmf(i)/pmf(mode); first find r(x)
        var rx = 1.0;
        if (x > mode)
        {
            for (var i = mode; i < x && rx > 0; i++) rx *= (double)(n - i) / (i + 1) * up;
        }
        else
        {
            for (var i = mode; i > x && rx > 0; i--) rx *= (double)i / (n - i + 1) * down;
        }
        if (rx == 0) return 0;
        var limit = rx * RelativeTolerance;
        var total = 1.0;
        var tail = rx >= 1 / RelativeTolerance ? 1.0 : 0.0;  // the mode itself counts when x is (as likely as) the mode
        var stop = rx * 1e-17;
        var r = 1.0;
        for (var i = mode; i < n; i++)
        {
            r *= (double)(n - i) / (i + 1) * up;
            total += r;
            if (r <= limit) tail += r;
            if (r < stop && i + 1 > x) break;
        }
        r = 1.0;
        for (var i = mode; i > 0; i--)
        {
            r *= (double)i / (n - i + 1) * down;
            total += r;
            if (r <= limit) tail += r;
            if (r < stop && i - 1 < x) break;
        }
        return Math.Min(1, tail / total);
    }
}
