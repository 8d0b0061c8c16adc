namespace SituationMap.Analysis.Hotspots;

/// <summary>How a statistic rescales the weights it is given.</summary>
public enum WeightsTransform
{
    /// <summary>Use the weights as they are (libpysal "O").</summary>
    AsGiven,

    /// <summary>Every neighbour weighs 1 (libpysal "B").</summary>
    Binary,

    /// <summary>Each row sums to 1: wᵢⱼ / Σⱼ wᵢⱼ (libpysal "R"); rows of islands stay empty.</summary>
    RowStandardised,
}

/// <summary>Which shared boundary makes two polygons or grid cells neighbours.</summary>
public enum ContiguityRule
{
    /// <summary>Sharing at least one vertex (a corner is enough).</summary>
    Queen,

    /// <summary>Sharing at least one edge.</summary>
    Rook,
}

/// <summary>
/// Sparse spatial weights between n units (compressed rows, each row's neighbours in ascending order, no self-pairs:
/// statistics that need a self-weight, such as Gi*, add it themselves). Immutable.
/// Built from neighbour lists, a distance band, k nearest neighbours, polygon contiguity, or a grid's contiguity.
/// </summary>
public sealed partial class SpatialWeights
{
    private readonly int[] _offsets;
    private readonly int[] _neighbours;
    private readonly double[] _weights;
    private Sums? _sums;

    private SpatialWeights(int[] offsets, int[] neighbours, double[] weights)
    {
        _offsets = offsets;
        _neighbours = neighbours;
        _weights = weights;
    }

    /// <summary>Number of units n.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Number of (i, j) pairs with a weight.</summary>
    public int PairCount => _neighbours.Length;

    public ReadOnlySpan<int> NeighboursOf(int unit) => _neighbours.AsSpan(_offsets[unit], _offsets[unit + 1] - _offsets[unit]);

    public ReadOnlySpan<double> WeightsOf(int unit) => _weights.AsSpan(_offsets[unit], _offsets[unit + 1] - _offsets[unit]);

    /// <summary>Number of neighbours of a unit.</summary>
    public int Cardinality(int unit) => _offsets[unit + 1] - _offsets[unit];

    public int MaxCardinality
    {
        get
        {
            var max = 0;
            for (var i = 0; i < Count; i++) max = Math.Max(max, Cardinality(i));
            return max;
        }
    }

    /// <summary>Units without neighbours.</summary>
    public int IslandCount
    {
        get
        {
            var islands = 0;
            for (var i = 0; i < Count; i++)
            {
                if (Cardinality(i) == 0) islands++;
            }
            return islands;
        }
    }

    /// <summary>S₀ = Σᵢ Σⱼ wᵢⱼ.</summary>
    public double S0 => GetSums().S0;

    /// <summary>S₁ = ½ Σᵢ Σⱼ (wᵢⱼ + wⱼᵢ)². O(pairs) on first use.</summary>
    public double S1 => GetSums().S1;

    /// <summary>S₂ = Σᵢ (Σⱼ wᵢⱼ + Σⱼ wⱼᵢ)². O(pairs) on first use.</summary>
    public double S2 => GetSums().S2;

    /// <summary>The weight of the pair (i, j), 0 when j is not a neighbour of i. O(log cardinality).</summary>
    public double Weight(int i, int j)
    {
        var k = NeighboursOf(i).BinarySearch(j);
        return k >= 0 ? _weights[_offsets[i] + k] : 0;
    }

    /// <summary>Whether wᵢⱼ = wⱼᵢ for every pair. O(pairs · log cardinality).</summary>
    public bool IsSymmetric()
    {
        for (var i = 0; i < Count; i++)
        {
            var neighbours = NeighboursOf(i);
            var weights = WeightsOf(i);
            for (var k = 0; k < neighbours.Length; k++)
            {
                if (Weight(neighbours[k], i) != weights[k]) return false;
            }
        }
        return true;
    }

    /// <summary>Row sums Σⱼ wᵢⱼ. O(pairs).</summary>
    public double[] RowSums()
    {
        var sums = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            var s = 0.0;
            foreach (var w in WeightsOf(i)) s += w;
            sums[i] = s;
        }
        return sums;
    }

    /// <summary>The spatial lag Σⱼ wᵢⱼ·vⱼ of every unit. O(pairs).</summary>
    public double[] Lag(ReadOnlySpan<double> values)
    {
        if (values.Length != Count) throw new ArgumentException($"Expected {Count} values.", nameof(values));
        var lag = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            var neighbours = NeighboursOf(i);
            var weights = WeightsOf(i);
            var s = 0.0;
            for (var k = 0; k < neighbours.Length; k++) s += weights[k] * values[neighbours[k]];
            lag[i] = s;
        }
        return lag;
    }

    /// <summary>A copy with the weights rescaled (the same neighbours). O(pairs).</summary>
    public SpatialWeights Transform(WeightsTransform transform)
    {
        if (transform == WeightsTransform.AsGiven) return this;
        var weights = new double[_weights.Length];
        for (var i = 0; i < Count; i++)
        {
            var start = _offsets[i];
            var end = _offsets[i + 1];
            if (transform == WeightsTransform.Binary)
            {
                for (var k = start; k < end; k++) weights[k] = 1;
                continue;
            }
            if (transform != WeightsTransform.RowStandardised) throw new ArgumentOutOfRangeException(nameof(transform));
            var sum = 0.0;
            for (var k = start; k < end; k++) sum += _weights[k];
            for (var k = start; k < end; k++) weights[k] = _weights[k] / sum;
        }
        return new SpatialWeights(_offsets, _neighbours, weights);
    }

    /// <summary>
    /// Weights from neighbour lists (unit i's neighbours are <c>neighbours[i]</c>), binary unless <paramref name="weights"/>
    /// gives one weight per listed neighbour. Duplicates and self-references are rejected. O(pairs · log cardinality).
    /// </summary>
    public static SpatialWeights FromNeighbours(IReadOnlyList<IReadOnlyList<int>> neighbours, IReadOnlyList<IReadOnlyList<double>>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        if (weights is not null && weights.Count != neighbours.Count) throw new ArgumentException("One weight list per unit.", nameof(weights));
        var n = neighbours.Count;
        var offsets = new int[n + 1];
        for (var i = 0; i < n; i++) offsets[i + 1] = offsets[i] + neighbours[i].Count;
        var ids = new int[offsets[n]];
        var values = new double[offsets[n]];
        for (var i = 0; i < n; i++)
        {
            var list = neighbours[i];
            if (weights is not null && weights[i].Count != list.Count) throw new ArgumentException($"Unit {i} has {list.Count} neighbours but {weights[i].Count} weights.", nameof(weights));
            var start = offsets[i];
            for (var k = 0; k < list.Count; k++)
            {
                var j = list[k];
                if (j < 0 || j >= n) throw new ArgumentOutOfRangeException(nameof(neighbours), $"Unit {i} lists neighbour {j}, outside 0..{n - 1}.");
                if (j == i) throw new ArgumentException($"Unit {i} lists itself as a neighbour.", nameof(neighbours));
                ids[start + k] = j;
                values[start + k] = weights is null ? 1 : weights[i][k];
            }
            Array.Sort(ids, values, start, list.Count);
            for (var k = start + 1; k < offsets[i + 1]; k++)
            {
                if (ids[k] == ids[k - 1]) throw new ArgumentException($"Unit {i} lists neighbour {ids[k]} twice.", nameof(neighbours));
            }
        }
        return new SpatialWeights(offsets, ids, values);
    }

    /// <summary>Binary weights from per-unit sorted, duplicate-free neighbour arrays (internal builders).</summary>
    internal static SpatialWeights FromSortedRows(int[][] rows)
    {
        var offsets = new int[rows.Length + 1];
        for (var i = 0; i < rows.Length; i++) offsets[i + 1] = offsets[i] + rows[i].Length;
        var ids = new int[offsets[^1]];
        for (var i = 0; i < rows.Length; i++) rows[i].CopyTo(ids, offsets[i]);
        var values = new double[ids.Length];
        Array.Fill(values, 1.0);
        return new SpatialWeights(offsets, ids, values);
    }

    private Sums GetSums()
    {
        if (_sums is { } cached) return cached;
        var n = Count;
        // transpose: for every j, the (i, wᵢⱼ) pointing at it, i ascending
        var counts = new int[n + 1];
        foreach (var j in _neighbours) counts[j + 1]++;
        for (var j = 0; j < n; j++) counts[j + 1] += counts[j];
        var tIds = new int[_neighbours.Length];
        var tWeights = new double[_neighbours.Length];
        var fill = (int[])counts.Clone();
        for (var i = 0; i < n; i++)
        {
            for (var k = _offsets[i]; k < _offsets[i + 1]; k++)
            {
                var slot = fill[_neighbours[k]]++;
                tIds[slot] = i;
                tWeights[slot] = _weights[k];
            }
        }
        double s0 = 0, s1 = 0, s2 = 0;
        for (var i = 0; i < n; i++)
        {
            double rowSum = 0, columnSum = 0;
            int a = _offsets[i], aEnd = _offsets[i + 1], b = counts[i], bEnd = counts[i + 1];
            while (a < aEnd || b < bEnd)
            {
                double pair;
                if (b >= bEnd || (a < aEnd && _neighbours[a] < tIds[b]))
                {
                    pair = _weights[a];
                    rowSum += _weights[a++];
                }
                else if (a >= aEnd || tIds[b] < _neighbours[a])
                {
                    pair = tWeights[b];
                    columnSum += tWeights[b++];
                }
                else
                {
                    pair = _weights[a] + tWeights[b];
                    rowSum += _weights[a++];
                    columnSum += tWeights[b++];
                }
                s1 += pair * pair;
            }
            s0 += rowSum;
            s2 += (rowSum + columnSum) * (rowSum + columnSum);
        }
        var sums = new Sums(s0, 0.5 * s1, s2);
        _sums = sums;
        return sums;
    }

    private sealed record Sums(double S0, double S1, double S2);
}
