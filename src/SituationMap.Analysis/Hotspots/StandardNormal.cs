namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// The standard normal distribution's tails, accurate to about 1e-12 relative over the whole range
/// (series for erf below 2.5, Lentz's continued fraction for erfc above). O(1) per call (at most ~40 terms).
/// </summary>
internal static class StandardNormal
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double OneOverSqrtPi = 0.56418958354775628;
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary>P(Z ≤ z).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>P(Z &gt; z), the upper tail (scipy's <c>norm.sf</c>).</summary>
    public static double Survival(double z) => 0.5 * Erfc(z / Sqrt2);

    /// <summary>P(|Z| ≥ |z|).</summary>
    public static double TwoSided(double z) => Erfc(Math.Abs(z) / Sqrt2);

    /// <summary>One tail on the side of z (esda's "one-tailed" p for Moran's I: sf(z) if z &gt; 0, else cdf(z)).</summary>
    public static double OneTailedTowards(double z) => z > 0 ? Survival(z) : Cdf(z);

    internal static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2 - Erfc(-x);
        if (x < 2.5) return 1 - Erf(x);
        if (x > 27.3) return 0;  // erfc(27.3) < 1e-324
        // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), modified Lentz
        var f = x;
        var c = x;
        var d = 0.0;
        for (var k = 1; k < 500; k++)
        {
            var a = 0.5 * k;
            d = 1 / (x + a * d);
            c = x + a / c;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 2e-16) break;
        }
        return Math.Exp(-x * x) * OneOverSqrtPi / f;
    }

    private static double Erf(double x)
    {
        if (x == 0) return 0;
        // erf(x) = 2/√π · exp(-x²) · Σ (2x²)ⁿ x / (1·3·…·(2n+1)): all terms positive, no cancellation
        var term = x;
        var sum = x;
        var twoX2 = 2 * x * x;
        for (var n = 1; n < 200; n++)
        {
            term *= twoX2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return TwoOverSqrtPi * Math.Exp(-x * x) * sum;
    }
}
