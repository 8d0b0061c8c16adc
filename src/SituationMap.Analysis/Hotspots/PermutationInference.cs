namespace SituationMap.Analysis.Hotspots;

/// <summary>Shared pieces of permutation inference: seeded draws and esda's folded pseudo p-value.</summary>
internal static class PermutationInference
{
    /// <summary>
    /// esda's pseudo p-value: with k = #(simulated ≥ observed) out of P, fold k to P − k when that is smaller, then
    /// p = (k + 1)/(P + 1). Lies in [1/(P + 1), 0.5 + 1/(P + 1)].
    /// </summary>
    public static double PseudoP(int atLeastAsLarge, int permutations)
    {
        var k = atLeastAsLarge;
        if (permutations - k < k) k = permutations - k;
        return (k + 1.0) / (permutations + 1.0);
    }

    /// <summary>
    /// For conditional randomisation: <paramref name="permutations"/> rows of <paramref name="draws"/> distinct indices in
    /// [0, n − 1), each row a uniform random sample without replacement (a partial Fisher–Yates shuffle of a pool that is
    /// carried over between rows). Site i maps an index a to a &lt; i ? a : a + 1, so it never draws itself.
    /// Deterministic for a seed (System.Random with a seed is a fixed algorithm). O(permutations · draws).
    /// </summary>
    public static int[] ConditionalDraws(int n, int permutations, int draws, int seed)
    {
        var pool = new int[n - 1];
        for (var i = 0; i < pool.Length; i++) pool[i] = i;
        draws = Math.Min(draws, pool.Length);
        var random = new Random(seed);
        var result = new int[permutations * draws];
        for (var p = 0; p < permutations; p++)
        {
            for (var j = 0; j < draws; j++)
            {
                var r = random.Next(j, pool.Length);
                (pool[j], pool[r]) = (pool[r], pool[j]);
                result[p * draws + j] = pool[j];
            }
        }
        return result;
    }

    /// <summary>Population mean and standard deviation (numpy's default ddof = 0).</summary>
    public static (double Mean, double StandardDeviation) MeanAndDeviation(ReadOnlySpan<double> values)
    {
        var mean = 0.0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        var squares = 0.0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(squares / values.Length));
    }
}
