namespace SituationMap.Analysis.Coverage;

/// <summary>
/// The optimal set of at most k options for the same discretised objective as <see cref="CameraPlacement"/>, by trying
/// every feasible subset (depth-first over option indexes, respecting the site rule). O(C(n, k) · k · p) for n options
/// with p sample points each: for small instances only (the default limit is 2,000,000 subsets), to check greedy.
/// </summary>
public static class ExhaustivePlacement
{
    /// <summary>The best feasible subset of at most <paramref name="budget"/> options (ties: the lexicographically first
    /// in index order) as option indexes, and its objective (weighted m²).</summary>
    public static (IReadOnlyList<int> Options, double Objective) Best(CameraPlacement placement, int budget, long maxSubsets = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        var n = placement.Options.Count;
        IReadOnlyList<int> bestOptions = [];
        var bestObjective = 0.0;
        var current = new List<int>(budget);
        long visited = 0;
        Search(0);
        return (bestOptions, bestObjective);

        void Search(int from)
        {
            if (++visited > maxSubsets) throw new InvalidOperationException($"More than {maxSubsets} subsets: the instance is too large for exhaustive search.");
            if (current.Count > 0)
            {
                var value = placement.Objective(current);
                if (value > bestObjective)
                {
                    bestOptions = [.. current];
                    bestObjective = value;
                }
            }
            if (current.Count == budget) return;
            for (var o = from; o < n; o++)
            {
                if (current.Any(c => placement.SameSite(c, o))) continue;
                current.Add(o);
                Search(o + 1);
                current.RemoveAt(current.Count - 1);
            }
        }
    }
}
