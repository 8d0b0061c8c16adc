using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Irregular aggregation units (police districts, beats, community areas) as metric polygons: point-in-polygon
/// assignment and counts, and contiguity weights between the units. A point on a boundary shared by several units goes to
/// the lowest-numbered one. Building costs O(V) for V vertices (an STR-tree on the units' envelopes; each unit's edge index
/// is built on first use); assigning a point costs O(log m + log vᵤ) for m units and vᵤ vertices in the candidate units.
/// </summary>
public sealed class PolygonUnits
{
    private readonly NetTopologySuite.Geometries.Geometry[] _units;
    private readonly IndexedPointInAreaLocator[] _locators;
    private readonly STRtree<int> _tree = new();

    public PolygonUnits(IReadOnlyList<NetTopologySuite.Geometries.Geometry> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        _units = [.. units];
        _locators = new IndexedPointInAreaLocator[_units.Length];
        for (var i = 0; i < _units.Length; i++)
        {
            var unit = _units[i] ?? throw new ArgumentException($"Unit {i} is null.", nameof(units));
            if (unit is not (Polygon or MultiPolygon)) throw new ArgumentException($"Unit {i} is a {unit.GeometryType}, not a polygon.", nameof(units));
            _locators[i] = new IndexedPointInAreaLocator(unit);
            _tree.Insert(unit.EnvelopeInternal, i);
        }
        _tree.Build();
    }

    public int UnitCount => _units.Length;

    public NetTopologySuite.Geometries.Geometry this[int unit] => _units[unit];

    /// <summary>The unit containing the point (boundary included), or −1.</summary>
    public int UnitOf(double x, double y)
    {
        var best = -1;
        var point = new Coordinate(x, y);
        foreach (var candidate in _tree.Query(new Envelope(point)))
        {
            if (best >= 0 && candidate > best) continue;
            if (_locators[candidate].Locate(point) != Location.Exterior) best = candidate;
        }
        return best;
    }

    /// <summary>Points per unit; points in no unit are not counted. O(n (log m + log v)).</summary>
    public int[] Count(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        var counts = new int[_units.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var unit = UnitOf(x[i], y[i]);
            if (unit >= 0) counts[unit]++;
        }
        return counts;
    }

    /// <summary>Counts of points per unit in one call (see <see cref="Count(ReadOnlySpan{double}, ReadOnlySpan{double})"/>).</summary>
    public static int[] Count(IReadOnlyList<NetTopologySuite.Geometries.Geometry> units, ReadOnlySpan<double> x, ReadOnlySpan<double> y) =>
        new PolygonUnits(units).Count(x, y);

    /// <summary>Contiguity between the units from shared vertices (see <see cref="SpatialWeights.Contiguity"/>).</summary>
    public SpatialWeights Contiguity(ContiguityRule rule = ContiguityRule.Queen) => SpatialWeights.Contiguity(_units, rule);

    /// <summary>The units' centroids, in unit order (for distance-band or k-nearest weights).</summary>
    public Coordinate[] Centroids()
    {
        var centroids = new Coordinate[_units.Length];
        for (var i = 0; i < centroids.Length; i++) centroids[i] = _units[i].Centroid.Coordinate;
        return centroids;
    }
}
