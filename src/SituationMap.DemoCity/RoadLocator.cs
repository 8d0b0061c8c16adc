using NetTopologySuite.Geometries;

namespace SituationMap.DemoCity;

/// <summary>The nearest road to a point and where along it the point lies.</summary>
/// <param name="Road">Index of the road in the list given to the locator.</param>
/// <param name="Distance">Distance from the point to the road, metres.</param>
/// <param name="Along">Distance along the road from its first vertex to the foot of the perpendicular, metres.</param>
/// <param name="Side">+1 when the point is left of the road's direction, −1 when right.</param>
/// <param name="Foot">The nearest point on the road.</param>
/// <param name="Direction">Unit vector of the road piece at the foot, in the road's direction.</param>
internal readonly record struct RoadHit(int Road, double Distance, double Along, int Side, Coordinate Foot, (double X, double Y) Direction);

/// <summary>
/// Nearest-road queries on metric polylines through a uniform bucket grid of straight pieces: a query visits square
/// rings of buckets outwards and stops once no unvisited bucket can hold anything nearer, so it costs about the
/// number of pieces within a few bucket widths. Ties go to the lower road index, so answers are deterministic.
/// </summary>
internal sealed class RoadLocator
{
    private readonly IReadOnlyList<Coordinate[]> _roads;
    private readonly double[] _startAlong; // per road: cumulative length before each vertex, flattened
    private readonly int[] _vertexOffset;
    private readonly double _minX;
    private readonly double _minY;
    private readonly double _cell;
    private readonly int _nx;
    private readonly int _ny;
    private readonly int[] _cellStart;
    private readonly int[] _pieceRoad;
    private readonly int[] _pieceVertex;

    public RoadLocator(IReadOnlyList<Coordinate[]> roads, double cellSize = 200)
    {
        _roads = roads;
        _cell = cellSize;
        var envelope = new Envelope();
        var vertexCount = 0;
        foreach (var road in roads)
        {
            foreach (var c in road) envelope.ExpandToInclude(c);
            vertexCount += road.Length;
        }
        _minX = envelope.MinX;
        _minY = envelope.MinY;
        _nx = Math.Max(1, (int)Math.Ceiling(envelope.Width / cellSize) + 1);
        _ny = Math.Max(1, (int)Math.Ceiling(envelope.Height / cellSize) + 1);

        _vertexOffset = new int[roads.Count];
        _startAlong = new double[vertexCount];
        var offset = 0;
        for (var r = 0; r < roads.Count; r++)
        {
            _vertexOffset[r] = offset;
            var along = 0.0;
            for (var v = 0; v < roads[r].Length; v++)
            {
                if (v > 0) along += roads[r][v].Distance(roads[r][v - 1]);
                _startAlong[offset + v] = along;
            }
            offset += roads[r].Length;
        }

        var counts = new int[(_nx * _ny) + 1];
        ForEachPieceCell((cell, _, _) => counts[cell + 1]++);
        for (var c = 1; c < counts.Length; c++) counts[c] += counts[c - 1];
        _cellStart = counts;
        _pieceRoad = new int[counts[^1]];
        _pieceVertex = new int[counts[^1]];
        var fill = (int[])counts.Clone();
        ForEachPieceCell((cell, road, vertex) =>
        {
            _pieceRoad[fill[cell]] = road;
            _pieceVertex[fill[cell]] = vertex;
            fill[cell]++;
        });
    }

    /// <summary>Length of road <paramref name="road"/> in metres.</summary>
    public double Length(int road) => _startAlong[_vertexOffset[road] + _roads[road].Length - 1];

    public RoadHit? Nearest(double x, double y, double maxDistance = 10_000)
    {
        var cx = Math.Clamp((int)Math.Floor((x - _minX) / _cell), 0, _nx - 1);
        var cy = Math.Clamp((int)Math.Floor((y - _minY) / _cell), 0, _ny - 1);
        var best = double.MaxValue;
        var bestRoad = -1;
        var bestVertex = -1;
        var bestT = 0.0;
        var maxRing = (int)Math.Ceiling(maxDistance / _cell) + 1;
        for (var ring = 0; ring <= maxRing; ring++)
        {
            for (var gx = cx - ring; gx <= cx + ring; gx++)
            {
                if (gx < 0 || gx >= _nx) continue;
                var onEdgeColumn = gx == cx - ring || gx == cx + ring;
                for (var gy = cy - ring; gy <= cy + ring; gy += onEdgeColumn ? 1 : Math.Max(1, 2 * ring))
                {
                    if (gy < 0 || gy >= _ny) continue;
                    var cell = (gy * _nx) + gx;
                    for (var p = _cellStart[cell]; p < _cellStart[cell + 1]; p++)
                    {
                        var (road, vertex) = (_pieceRoad[p], _pieceVertex[p]);
                        var a = _roads[road][vertex];
                        var b = _roads[road][vertex + 1];
                        var (d, t) = SegmentDistance(x, y, a, b);
                        if (d < best || (d == best && (road < bestRoad || (road == bestRoad && vertex < bestVertex))))
                        {
                            (best, bestRoad, bestVertex, bestT) = (d, road, vertex, t);
                        }
                    }
                }
            }
            if (bestRoad >= 0 && best <= ring * _cell) break;
        }
        if (bestRoad < 0 || best > maxDistance) return null;

        var pa = _roads[bestRoad][bestVertex];
        var pb = _roads[bestRoad][bestVertex + 1];
        var length = pa.Distance(pb);
        var (dx, dy) = length > 0 ? ((pb.X - pa.X) / length, (pb.Y - pa.Y) / length) : (1.0, 0.0);
        var foot = new Coordinate(pa.X + ((pb.X - pa.X) * bestT), pa.Y + ((pb.Y - pa.Y) * bestT));
        var cross = (dx * (y - foot.Y)) - (dy * (x - foot.X));
        var along = _startAlong[_vertexOffset[bestRoad] + bestVertex] + (bestT * length);
        return new RoadHit(bestRoad, best, along, cross >= 0 ? 1 : -1, foot, (dx, dy));
    }

    /// <summary>The point <paramref name="along"/> metres along road <paramref name="road"/> and the unit direction there.</summary>
    public (Coordinate Point, (double X, double Y) Direction) PointAlong(int road, double along)
    {
        var coords = _roads[road];
        var offset = _vertexOffset[road];
        var v = 0;
        while (v < coords.Length - 2 && _startAlong[offset + v + 1] < along) v++;
        var a = coords[v];
        var b = coords[v + 1];
        var length = a.Distance(b);
        var t = length > 0 ? Math.Clamp((along - _startAlong[offset + v]) / length, 0, 1) : 0;
        var direction = length > 0 ? ((b.X - a.X) / length, (b.Y - a.Y) / length) : (1.0, 0.0);
        return (new Coordinate(a.X + ((b.X - a.X) * t), a.Y + ((b.Y - a.Y) * t)), direction);
    }

    private static (double Distance, double T) SegmentDistance(double x, double y, Coordinate a, Coordinate b)
    {
        var (vx, vy) = (b.X - a.X, b.Y - a.Y);
        var lengthSquared = (vx * vx) + (vy * vy);
        var t = lengthSquared > 0 ? Math.Clamp((((x - a.X) * vx) + ((y - a.Y) * vy)) / lengthSquared, 0, 1) : 0;
        var (px, py) = (a.X + (t * vx) - x, a.Y + (t * vy) - y);
        return (Math.Sqrt((px * px) + (py * py)), t);
    }

    private void ForEachPieceCell(Action<int, int, int> action)
    {
        for (var r = 0; r < _roads.Count; r++)
        {
            var road = _roads[r];
            for (var v = 0; v + 1 < road.Length; v++)
            {
                var x0 = (int)Math.Floor((Math.Min(road[v].X, road[v + 1].X) - _minX) / _cell);
                var x1 = (int)Math.Floor((Math.Max(road[v].X, road[v + 1].X) - _minX) / _cell);
                var y0 = (int)Math.Floor((Math.Min(road[v].Y, road[v + 1].Y) - _minY) / _cell);
                var y1 = (int)Math.Floor((Math.Max(road[v].Y, road[v + 1].Y) - _minY) / _cell);
                for (var gx = Math.Max(0, x0); gx <= Math.Min(_nx - 1, x1); gx++)
                {
                    for (var gy = Math.Max(0, y0); gy <= Math.Min(_ny - 1, y1); gy++) action((gy * _nx) + gx, r, v);
                }
            }
        }
    }
}

/// <summary>Point-in-area lookups over a list of polygonal geometries (boundary counts as inside).</summary>
internal sealed class AreaIndex
{
    private readonly (Envelope Envelope, NetTopologySuite.Algorithm.Locate.IPointOnGeometryLocator Locator)[] _areas;

    public AreaIndex(IEnumerable<Geometry> areas) =>
        _areas = areas.Select(a => (a.EnvelopeInternal, (NetTopologySuite.Algorithm.Locate.IPointOnGeometryLocator)new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(a))).ToArray();

    public int Count => _areas.Length;

    public int IndexOf(Coordinate c)
    {
        for (var k = 0; k < _areas.Length; k++)
        {
            if (Contains(k, c)) return k;
        }
        return -1;
    }

    public bool Contains(int k, Coordinate c) => _areas[k].Envelope.Contains(c) && _areas[k].Locator.Locate(c) != Location.Exterior;

    public bool Any(Coordinate c) => IndexOf(c) >= 0;
}
