namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Benjamini–Hochberg false discovery rate control, as ArcGIS applies it in Hot Spot Analysis ("Apply False Discovery Rate
/// (FDR) Correction"): for m tests, sort the p-values p₍₁₎ ≤ … ≤ p₍ₘ₎ and find the largest k with p₍ₖ₎ ≤ k·α/m; the
/// tests with p ≤ p₍ₖ₎ are significant. NaN p-values (tests that could not be made) are left out of m. O(m log m).
/// </summary>
public static class FalseDiscoveryRate
{
    /// <summary>The largest p-value still significant at FDR level α, or −1 when none is (p ≤ threshold ⇔ significant).</summary>
    public static double Threshold(ReadOnlySpan<double> pValues, double alpha)
    {
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must lie in (0, 1).");
        var sorted = new List<double>(pValues.Length);
        foreach (var p in pValues)
        {
            if (!double.IsNaN(p)) sorted.Add(p);
        }
        sorted.Sort();
        var m = sorted.Count;
        for (var k = m; k >= 1; k--)
        {
            if (sorted[k - 1] <= k * alpha / m) return sorted[k - 1];
        }
        return -1;
    }

    /// <summary>Which tests are significant at FDR level α.</summary>
    public static bool[] Significant(ReadOnlySpan<double> pValues, double alpha)
    {
        var threshold = Threshold(pValues, alpha);
        var significant = new bool[pValues.Length];
        for (var i = 0; i < pValues.Length; i++) significant[i] = pValues[i] <= threshold;
        return significant;
    }
}
