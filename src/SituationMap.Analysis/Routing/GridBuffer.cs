using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace SituationMap.Analysis.Routing;

/// <summary>
/// Buffers of lines and points on a square grid, for several nested layers at once (the bands of an isochrone set):
/// a cell belongs to layer <c>b</c> when its centre is within <see cref="BufferM"/> of a line or point marked with a
/// layer ≤ <c>b</c>, and a layer's polygon is the union of its cells, traced cell edge by cell edge into rings with holes.
/// <para><b>Tolerance:</b> with cell size h, a point farther than <see cref="BufferM"/> + h·√2/2 from everything marked
/// lies in no cell whose centre is within <see cref="BufferM"/>, and a point within <see cref="BufferM"/> − h·√2/2 lies
/// in a cell whose centre is; so the polygon contains the exact buffer shrunk by h·√2/2 and lies inside the exact buffer
/// grown by h·√2/2 + h/32 — the h/32 is the chamfer where two cells of the layer touch only at a corner: the ring cuts
/// that corner by h/32 into the empty cells, joining the two cells by a narrow bridge, so no ring touches itself or
/// another (OGC-valid polygons). Both bounds lie within <see cref="ToleranceCells"/> cells. Layers are nested exactly:
/// the cells of layer b are cells of every layer above it, and a higher layer keeps the corner cuts of the lower ones
/// (into a cell it has not filled).</para>
/// <para><b>Cost:</b> marking is O(rows crossed) per segment with a filled run per row (the exact intersection of the
/// row of cell centres with the segment's capsule); tracing a layer is one vectorised pass over the grid (O(W·H) bytes)
/// plus O(boundary cells); holes are assigned to their shells with an STR-tree and an indexed point-in-polygon test.
/// Memory: one byte per cell, and one bit per cell per layer while tracing.</para>
/// </summary>
internal sealed class GridBuffer
{
    /// <summary>Largest distance, in cells, between a layer's polygon boundary and the exact buffer's boundary.</summary>
    public const double ToleranceCells = 0.75;

    /// <summary>The corner cut at diagonal pinches, in cells.</summary>
    public const double PinchCells = 1.0 / 32;

    /// <summary>Largest grid accepted (cells), about 256 MB.</summary>
    public const long MaxCells = 1L << 28;

    private const byte Empty = byte.MaxValue;

    private static readonly int[] StepX = [1, 0, -1, 0];
    private static readonly int[] StepY = [0, 1, 0, -1];

    private readonly byte[] _cells;
    private readonly long _originI;
    private readonly long _originJ;

    private GridBuffer(Envelope extent, double bufferM, double cellM, long width, long height)
    {
        BufferM = bufferM;
        CellM = cellM;
        // The grid is a window on the global lattice of cells [k·h, (k + 1)·h], with one empty cell all around, so that
        // every layer uses the same vertex coordinates and tracing never looks outside the array.
        _originI = (long)Math.Floor((extent.MinX - bufferM) / cellM) - 1;
        _originJ = (long)Math.Floor((extent.MinY - bufferM) / cellM) - 1;
        Width = (int)width;
        Height = (int)height;
        _cells = new byte[width * height];
        Array.Fill(_cells, Empty);
    }

    public double BufferM { get; }

    public double CellM { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>An empty grid covering the extent grown by the buffer distance (a null extent: a few empty cells).</summary>
    public static GridBuffer Create(Envelope extent, double bufferM, double cellM)
    {
        ArgumentNullException.ThrowIfNull(extent);
        if (extent.IsNull) extent = new Envelope(0, 0, 0, 0);
        var (width, height) = Size(extent, bufferM, cellM);
        if (width * height > MaxCells)
            throw new ArgumentOutOfRangeException(nameof(cellM), $"A grid of {width} × {height} cells of {cellM} m is too large.");
        return new GridBuffer(extent, bufferM, cellM, width, height);
    }

    private static (long Width, long Height) Size(Envelope extent, double bufferM, double cellM)
    {
        var i0 = (long)Math.Floor((extent.MinX - bufferM) / cellM) - 1;
        var j0 = (long)Math.Floor((extent.MinY - bufferM) / cellM) - 1;
        var i1 = (long)Math.Floor((extent.MaxX + bufferM) / cellM) + 1;
        var j1 = (long)Math.Floor((extent.MaxY + bufferM) / cellM) + 1;
        return (i1 - i0 + 1, j1 - j0 + 1);
    }

    /// <summary>
    /// Marks the cells within the buffer distance of the line with the layer (0–254; lower layers win). Layers must be
    /// marked from the highest to the lowest: a run is simply overwritten.
    /// </summary>
    public void Mark(LineString line, byte layer)
    {
        var coordinates = line.CoordinateSequence;
        if (coordinates.Count == 0) return;
        if (coordinates.Count == 1) { Mark(coordinates.GetCoordinate(0), layer); return; }
        var ox = _originI * CellM;
        var oy = _originJ * CellM;
        for (var k = 0; k + 1 < coordinates.Count; k++)
        {
            MarkSegment(coordinates.GetX(k) - ox, coordinates.GetY(k) - oy, coordinates.GetX(k + 1) - ox, coordinates.GetY(k + 1) - oy, layer);
        }
    }

    /// <summary>Marks the cells within the buffer distance of the point with the layer.</summary>
    public void Mark(Coordinate point, byte layer)
    {
        var x = point.X - _originI * CellM;
        var y = point.Y - _originJ * CellM;
        MarkSegment(x, y, x, y, layer);
    }

    private void MarkSegment(double ax, double ay, double bx, double by, byte layer)
    {
        var h = CellM;
        var r = BufferM;
        var dx = bx - ax;
        var dy = by - ay;
        var l2 = dx * dx + dy * dy;
        var rl = r * Math.Sqrt(l2);
        var jLo = Math.Max(0, (int)Math.Ceiling((Math.Min(ay, by) - r) / h - 0.5));
        var jHi = Math.Min(Height - 1, (int)Math.Floor((Math.Max(ay, by) + r) / h - 0.5));
        for (var j = jLo; j <= jHi; j++)
        {
            // The row of cell centres y = yc meets the capsule (segment ⊕ disk of radius r) in one interval: the hull
            // of its meetings with the two end disks and with the band of points projecting onto the segment.
            var yc = (j + 0.5) * h;
            var lo = double.PositiveInfinity;
            var hi = double.NegativeInfinity;
            Disk(ax, ay, yc, r, ref lo, ref hi);
            Disk(bx, by, yc, r, ref lo, ref hi);
            if (l2 > 0)
            {
                // 0 ≤ (x − ax)·dx + (yc − ay)·dy ≤ l² and |(x − ax)·dy − (yc − ay)·dx| ≤ r·l
                var ey = yc - ay;
                var (pLo, pHi) = Linear(dx, ey * dy, 0, l2);
                var (qLo, qHi) = Linear(dy, -ey * dx, -rl, rl);
                var sLo = Math.Max(pLo, qLo);
                var sHi = Math.Min(pHi, qHi);
                if (sLo <= sHi)
                {
                    lo = Math.Min(lo, ax + sLo);
                    hi = Math.Max(hi, ax + sHi);
                }
            }
            if (!(lo <= hi)) continue;
            var iLo = Math.Max(0, (int)Math.Ceiling(lo / h - 0.5));
            var iHi = Math.Min(Width - 1, (int)Math.Floor(hi / h - 0.5));
            if (iLo <= iHi) _cells.AsSpan(j * Width + iLo, iHi - iLo + 1).Fill(layer);
        }
    }

    private static void Disk(double cx, double cy, double yc, double r, ref double lo, ref double hi)
    {
        var d = yc - cy;
        var w2 = r * r - d * d;
        if (w2 < 0) return;
        var w = Math.Sqrt(w2);
        lo = Math.Min(lo, cx - w);
        hi = Math.Max(hi, cx + w);
    }

    /// <summary>The values of u for which low ≤ a·u + b ≤ high (all, none, or an interval).</summary>
    private static (double Lo, double Hi) Linear(double a, double b, double low, double high)
    {
        if (a == 0) return b >= low && b <= high ? (double.NegativeInfinity, double.PositiveInfinity) : (1, 0);
        var u1 = (low - b) / a;
        var u2 = (high - b) / a;
        return u1 <= u2 ? (u1, u2) : (u2, u1);
    }

    /// <summary>The polygon of the cells of layers ≤ <paramref name="layer"/> (empty polygon when there are none).</summary>
    public NetTopologySuite.Geometries.Geometry Trace(byte layer, GeometryFactory factory)
    {
        var w = Width;
        var visited = new ulong[((long)w * Height + 63) / 64];
        var shells = new List<LinearRing>();
        var holes = new List<LinearRing>();
        var ring = new List<Coordinate>();
        // Every ring has an eastward edge (a filled cell above an empty one); the first one met in row order starts it.
        // Runs of empty and of filled cells are skipped with vectorised searches.
        var empty = (byte)(layer + 1);
        for (var j = 1; j < Height; j++)
        {
            var row = _cells.AsSpan(j * w, w);
            var below = _cells.AsSpan((j - 1) * w, w);
            for (var i = 0; i < w;)
            {
                var start = row[i..].IndexOfAnyInRange((byte)0, layer);
                if (start < 0) break;
                start += i;
                var length = row[start..].IndexOfAnyInRange(empty, byte.MaxValue);
                var end = length < 0 ? w : start + length;
                for (var k = start; k < end; k++)
                {
                    var found = below[k..end].IndexOfAnyInRange(empty, byte.MaxValue);
                    if (found < 0) break;
                    k += found;
                    var c = j * w + k;
                    if ((visited[c >> 6] & (1UL << c)) != 0) continue;
                    ring.Clear();
                    TraceRing(k, j, layer, visited, ring);
                    var linear = factory.CreateLinearRing([.. ring]);
                    (NetTopologySuite.Algorithm.Orientation.IsCCW(linear.CoordinateSequence) ? shells : holes).Add(linear);
                }
                i = end;
            }
        }
        if (shells.Count == 0) return factory.CreatePolygon();
        var owned = new List<LinearRing>[shells.Count];
        for (var s = 0; s < shells.Count; s++) owned[s] = [];
        if (shells.Count == 1)
        {
            owned[0].AddRange(holes);
        }
        else if (holes.Count > 0)
        {
            var index = new STRtree<int>();
            for (var s = 0; s < shells.Count; s++) index.Insert(shells[s].EnvelopeInternal, s);
            var locators = new IPointOnGeometryLocator?[shells.Count];
            foreach (var hole in holes)
            {
                // The innermost shell around the hole: rings never touch, so any vertex of the hole decides.
                var point = hole.GetCoordinateN(0);
                var best = -1;
                var bestArea = double.PositiveInfinity;
                foreach (var s in index.Query(hole.EnvelopeInternal))
                {
                    if (!shells[s].EnvelopeInternal.Contains(hole.EnvelopeInternal)) continue;
                    var area = shells[s].EnvelopeInternal.Area;
                    if (area >= bestArea) continue;
                    locators[s] ??= new IndexedPointInAreaLocator(factory.CreatePolygon(shells[s]));
                    if (locators[s]!.Locate(point) != Location.Interior) continue;
                    best = s;
                    bestArea = area;
                }
                if (best < 0) throw new InvalidOperationException("A traced hole lies in no shell.");
                owned[best].Add(hole);
            }
        }
        var polygons = new Polygon[shells.Count];
        for (var s = 0; s < shells.Count; s++) polygons[s] = factory.CreatePolygon(shells[s], [.. owned[s]]);
        return polygons.Length == 1 ? polygons[0] : factory.CreateMultiPolygon(polygons);
    }

    /// <summary>
    /// Follows one ring from the eastward edge leaving vertex (i, j), the filled cells on its left (shells
    /// anticlockwise, holes clockwise), emitting corners only. Where two filled cells touch at a corner only, the ring
    /// turns right (joining them) and cuts both empty cells' corners by <see cref="PinchCells"/>; the same cut stays in
    /// the higher layers where only one of the two empty cells has been filled.
    /// </summary>
    private void TraceRing(int startI, int startJ, byte layer, ulong[] visited, List<Coordinate> ring)
    {
        var w = Width;
        var h = CellM;
        var pinch = PinchCells * h;
        int i = startI, j = startJ, dir = 0;
        while (true)
        {
            if (dir == 0)
            {
                var c = j * w + i;
                visited[c >> 6] |= 1UL << c;
            }
            i += StepX[dir];
            j += StepY[dir];
            var ne = _cells[j * w + i];
            var nw = _cells[j * w + i - 1];
            var se = _cells[(j - 1) * w + i];
            var sw = _cells[(j - 1) * w + i - 1];
            bool inNe = ne <= layer, inNw = nw <= layer, inSe = se <= layer, inSw = sw <= layer;
            var x = (_originI + i) * h;
            var y = (_originJ + j) * h;
            // The edge leaving the vertex with a filled cell on its left and an empty one on its right; where two filled
            // cells touch at a corner only, the right turn (joining them).
            var next = inNe == inSw && inNw == inSe && inNe != inNw ? (dir + 3) & 3
                : inNe && !inSe ? 0 : inNw && !inNe ? 1 : inSw && !inNw ? 2 : 3;
            if (next == ((dir + 3) & 3))
            {
                // A right turn round an empty cell q: cut its corner when q's two neighbours round the vertex came in
                // before (a lower layer than) the cell opposite q — at a pinch of this layer, or at one of a lower layer
                // that this layer has filled on one side only (so lower layers stay inside this one).
                var qx = StepX[next] - StepX[dir];
                var qy = StepY[next] - StepY[dir];
                var opposite = Quadrant(-qx, -qy, ne, nw, se, sw);
                if (Math.Max(Quadrant(-qx, qy, ne, nw, se, sw), Quadrant(qx, -qy, ne, nw, se, sw)) < opposite)
                {
                    ring.Add(new Coordinate(x - pinch * StepX[dir], y - pinch * StepY[dir]));
                    ring.Add(new Coordinate(x + pinch * StepX[next], y + pinch * StepY[next]));
                }
                else
                {
                    ring.Add(new Coordinate(x, y));
                }
            }
            else if (next != dir)
            {
                ring.Add(new Coordinate(x, y));
            }
            if (i == startI && j == startJ && next == 0) break;
            dir = next;
        }
        ring.Add(ring[0].Copy());
    }

    /// <summary>The layer of the cell in quadrant (qx, qy) ∈ {−1, 1}² round a vertex.</summary>
    private static byte Quadrant(int qx, int qy, byte ne, byte nw, byte se, byte sw) =>
        qy > 0 ? (qx > 0 ? ne : nw) : (qx > 0 ? se : sw);
}
