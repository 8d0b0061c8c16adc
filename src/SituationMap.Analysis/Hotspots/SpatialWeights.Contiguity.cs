using NetTopologySuite.Geometries;

namespace SituationMap.Analysis.Hotspots;

public sealed partial class SpatialWeights
{
    /// <summary>
    /// Binary contiguity weights between polygons (Polygon or MultiPolygon), as libpysal and GeoDa build them from
    /// shared vertices: queen = at least one vertex in common, rook = at least one edge (two consecutive vertices) in
    /// common. Coordinates must match exactly, so shared boundaries must be digitised with the same vertices
    /// (topologically clean data such as census units, beats or generated grids). Vertex hashing: O(V) expected for V
    /// vertices in total, plus O(pairs log pairs).
    /// </summary>
    public static SpatialWeights Contiguity(IReadOnlyList<NetTopologySuite.Geometries.Geometry> polygons, ContiguityRule rule = ContiguityRule.Queen)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        var n = polygons.Count;
        var sets = new HashSet<int>[n];
        for (var i = 0; i < n; i++) sets[i] = [];
        if (rule == ContiguityRule.Queen)
        {
            var byVertex = new Dictionary<(double, double), List<int>>();
            for (var i = 0; i < n; i++)
            {
                foreach (var ring in Rings(polygons[i], i))
                {
                    for (var k = 0; k < ring.Count; k++)
                    {
                        var key = (ring.GetX(k), ring.GetY(k));
                        if (!byVertex.TryGetValue(key, out var owners)) byVertex[key] = owners = [];
                        if (owners.Count == 0 || owners[^1] != i) owners.Add(i);
                    }
                }
            }
            Connect(byVertex.Values, sets);
        }
        else if (rule == ContiguityRule.Rook)
        {
            var byEdge = new Dictionary<(double, double, double, double), List<int>>();
            for (var i = 0; i < n; i++)
            {
                foreach (var ring in Rings(polygons[i], i))
                {
                    for (var k = 0; k + 1 < ring.Count; k++)
                    {
                        var a = (ring.GetX(k), ring.GetY(k));
                        var b = (ring.GetX(k + 1), ring.GetY(k + 1));
                        if (a == b) continue;
                        var key = a.CompareTo(b) < 0 ? (a.Item1, a.Item2, b.Item1, b.Item2) : (b.Item1, b.Item2, a.Item1, a.Item2);
                        if (!byEdge.TryGetValue(key, out var owners)) byEdge[key] = owners = [];
                        if (owners.Count == 0 || owners[^1] != i) owners.Add(i);
                    }
                }
            }
            Connect(byEdge.Values, sets);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(rule));
        }
        var rows = new int[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = [.. sets[i]];
            Array.Sort(rows[i]);
        }
        return FromSortedRows(rows);
    }

    private static void Connect(IEnumerable<List<int>> groups, HashSet<int>[] sets)
    {
        foreach (var owners in groups)
        {
            for (var a = 0; a < owners.Count; a++)
            {
                for (var b = a + 1; b < owners.Count; b++)
                {
                    if (owners[a] == owners[b]) continue;
                    sets[owners[a]].Add(owners[b]);
                    sets[owners[b]].Add(owners[a]);
                }
            }
        }
    }

    private static IEnumerable<CoordinateSequence> Rings(NetTopologySuite.Geometries.Geometry geometry, int index)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        for (var g = 0; g < geometry.NumGeometries; g++)
        {
            if (geometry.GetGeometryN(g) is not Polygon polygon) throw new ArgumentException($"Unit {index} is a {geometry.GeometryType}, not a polygon.", nameof(geometry));
            yield return polygon.ExteriorRing.CoordinateSequence;
            foreach (var hole in polygon.InteriorRings) yield return hole.CoordinateSequence;
        }
    }
}
