namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// ArcGIS's Gi_Bin: hot (positive z) or cold (negative z) at 99, 95 or 90 % confidence, from the two-sided p-value.
/// </summary>
public enum HotSpotBin : sbyte
{
    Cold99 = -3,
    Cold95 = -2,
    Cold90 = -1,
    NotSignificant = 0,
    Hot90 = 1,
    Hot95 = 2,
    Hot99 = 3,
}

/// <summary>Classification of z-scores into <see cref="HotSpotBin"/>s. O(n), or O(n log n) with the FDR correction.</summary>
public static class HotSpotBins
{
    private static readonly (double Alpha, int Level)[] Levels = [(0.10, 1), (0.05, 2), (0.01, 3)];

    /// <summary>
    /// The bin of each test: sign(z) × the highest confidence level (90/95/99 %) whose α the two-sided p-value meets
    /// (p ≤ α). With <paramref name="falseDiscoveryRate"/>, "meets" means significant under the Benjamini–Hochberg procedure
    /// at that α over all the tests (<see cref="FalseDiscoveryRate"/>), as ArcGIS does. NaN tests are not significant.
    /// </summary>
    public static HotSpotBin[] Classify(ReadOnlySpan<double> z, ReadOnlySpan<double> pTwoSided, bool falseDiscoveryRate = false)
    {
        if (z.Length != pTwoSided.Length) throw new ArgumentException("One p-value per z-score.", nameof(pTwoSided));
        var bins = new HotSpotBin[z.Length];
        foreach (var (alpha, level) in Levels)
        {
            var threshold = falseDiscoveryRate ? FalseDiscoveryRate.Threshold(pTwoSided, alpha) : alpha;
            for (var i = 0; i < z.Length; i++)
            {
                if (pTwoSided[i] <= threshold && z[i] != 0 && !double.IsNaN(z[i])) bins[i] = (HotSpotBin)(Math.Sign(z[i]) * level);
            }
        }
        return bins;
    }
}
