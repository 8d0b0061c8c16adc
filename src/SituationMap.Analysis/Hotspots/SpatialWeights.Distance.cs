using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace SituationMap.Analysis.Hotspots;

public sealed partial class SpatialWeights
{
    /// <summary>
    /// Binary distance-band weights: i and j are neighbours when their Euclidean distance is at most
    /// <paramref name="threshold"/> metres, inclusive (as libpysal's DistanceBand: a pair exactly at the threshold IS a
    /// pair). Points at the same place are neighbours. Uses an STR-tree: O(n log n + n·k) for k neighbours per point.
    /// Lattice centroids (hexagon or square grids) carry rounding, so pass a threshold a little above the lattice spacing
    /// you mean to include.
    /// </summary>
    public static SpatialWeights DistanceBand(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double threshold)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        if (!double.IsFinite(threshold) || threshold < 0) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be a non-negative number of metres.");
        var (xs, ys, tree) = Index(x, y);
        var rows = new int[xs.Length][];
        Parallel.For(0, xs.Length, i =>
        {
            var px = xs[i];
            var py = ys[i];
            var found = new List<int>();
            foreach (var j in tree.Query(new Envelope(px - threshold, px + threshold, py - threshold, py + threshold)))
            {
                if (j != i && Distance(px, py, xs[j], ys[j]) <= threshold) found.Add(j);
            }
            found.Sort();
            rows[i] = [.. found];
        });
        return FromSortedRows(rows);
    }

    /// <inheritdoc cref="DistanceBand(ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/>
    public static SpatialWeights DistanceBand(IReadOnlyList<Coordinate> points, double threshold)
    {
        var (x, y) = Split(points);
        return DistanceBand(x, y, threshold);
    }

    /// <summary>
    /// Binary k-nearest-neighbour weights (not symmetric in general). Ties at the k-th distance are broken by the lower
    /// index, so the result is deterministic. Uses an STR-tree queried with a growing radius: about O(n log n + n·k log k).
    /// </summary>
    public static SpatialWeights KNearest(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k >= x.Length) throw new ArgumentOutOfRangeException(nameof(k), k, $"There are only {x.Length} points, so at most {x.Length - 1} neighbours each.");
        var (xs, ys, tree) = Index(x, y);
        var bounds = new Envelope();
        for (var i = 0; i < xs.Length; i++) bounds.ExpandToInclude(xs[i], ys[i]);
        var area = Math.Max(bounds.Area, 1e-12);
        var startRadius = Math.Max(1.5 * Math.Sqrt((k + 1) * area / (xs.Length * Math.PI)), 1e-9);
        var rows = new int[xs.Length][];
        Parallel.For(0, xs.Length, i =>
        {
            var px = xs[i];
            var py = ys[i];
            var radius = startRadius;
            while (true)
            {
                var found = new List<(double Distance, int Index)>();
                foreach (var j in tree.Query(new Envelope(px - radius, px + radius, py - radius, py + radius)))
                {
                    if (j == i) continue;
                    var d = Distance(px, py, xs[j], ys[j]);
                    if (d <= radius) found.Add((d, j));
                }
                if (found.Count >= k)
                {
                    found.Sort();
                    var row = new int[k];
                    for (var m = 0; m < k; m++) row[m] = found[m].Index;
                    Array.Sort(row);
                    rows[i] = row;
                    return;
                }
                radius *= 2;
            }
        });
        return FromSortedRows(rows);
    }

    /// <inheritdoc cref="KNearest(ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>
    public static SpatialWeights KNearest(IReadOnlyList<Coordinate> points, int k)
    {
        var (x, y) = Split(points);
        return KNearest(x, y, k);
    }

    private static double Distance(double x0, double y0, double x1, double y1)
    {
        var dx = x1 - x0;
        var dy = y1 - y0;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    private static (double[] X, double[] Y, STRtree<int> Tree) Index(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var xs = x.ToArray();
        var ys = y.ToArray();
        var tree = new STRtree<int>();
        for (var i = 0; i < xs.Length; i++)
        {
            if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i])) throw new ArgumentException($"Point {i} has a non-finite coordinate.", nameof(x));
            tree.Insert(new Envelope(xs[i], xs[i], ys[i], ys[i]), i);
        }
        tree.Build();
        return (xs, ys, tree);
    }

    private static (double[] X, double[] Y) Split(IReadOnlyList<Coordinate> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var x = new double[points.Count];
        var y = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            x[i] = points[i].X;
            y[i] = points[i].Y;
        }
        return (x, y);
    }
}
