using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;

namespace SituationMap.Analysis.Coverage;

/// <summary>
/// A camera's viewed area as a polygon in a projected metric CRS (metres): its sector(s) (see <see cref="CameraSpec"/>),
/// occluded by obstacles (building footprints, walls), minus its privacy masks.
/// <para>
/// <b>Occlusion</b> is a true 2D visibility polygon from the camera point. Every obstacle edge within range comes out of
/// an STR-tree; rays are cast at the sector's arc sample angles, at the sector's two edges and, for every edge endpoint
/// and every crossing of an edge with the range circle, at its exact angle and ±<see cref="EventEpsilonDeg"/> on either
/// side (so a shadow starts exactly at the corner that casts it). Each ray stops at the nearest edge or at the range; the
/// hit points in angular order (after the camera point for a sector narrower than 360°) form the polygon. A wall between
/// the camera and a target hides the target; a camera in a courtyard (a hole of a building polygon, or a space closed by
/// buildings) sees only the courtyard. A camera strictly inside an obstacle's solid footprint sees nothing (an empty
/// view); a camera exactly on an obstacle's boundary (mounted on a façade) sees everything outside the obstacle.
/// Obstacles are not clipped to the sector, the rays are, so only edges within range matter; polygon edges that face
/// away from the camera (back faces) are skipped, since from outside a solid the first hit is always on a front face.
/// </para>
/// <para>
/// <b>Arc approximation:</b> <c>segmentsPerDegree</c> chords per degree of arc (default 1, at most 4). A chord spanning θ radians
/// cuts r²(θ − sin θ)/2 from its circular segment, so an unoccluded sector's area is π r² · FOV/360 · (1 − θ²/6 + …):
/// −5.1·10⁻⁵ relative at 1 chord per degree, −1.3·10⁻⁵ at 2. The ±ε rays change the area by at most ε·r² per obstacle
/// vertex (≈ 1.7 m² at r = 1000 m, far less in practice). Of three or more consecutive hits on the same obstacle edge
/// only the first and last are kept (the others lie on the segment between them), so arc samples that land on a
/// façade cost no vertices; hits are rebuilt on their edge, so views that meet at a façade share its exact line.
/// </para>
/// <para>
/// <b>Cost:</b> building is O(E log E) for E obstacle edges. One view costs O(log E + m) to find the m edges within range
/// and O(k·m) for k = FOV·segmentsPerDegree + 3·(endpoints and circle crossings) rays, plus O(k log k) for sorting the
/// angles and the validity check of the result. Instances are immutable after construction and safe to share between
/// threads.
/// </para>
/// </summary>
public sealed class CameraViewshed
{
    /// <summary>Chords per degree of arc unless stated.</summary>
    public const double DefaultSegmentsPerDegree = 1;

    /// <summary>Angular offset of the rays cast beside each obstacle vertex, degrees.</summary>
    public const double EventEpsilonDeg = 1e-4;

    private const double DegToRad = Math.PI / 180;
    private const double FacadeProbeM = 1e-3;

    private readonly double[] _ax;
    private readonly double[] _ay;
    private readonly double[] _bx;
    private readonly double[] _by;
    private readonly sbyte[] _interiorSide; // +1 the solid lies left of a→b, −1 right, 0 a wall (both sides open)
    private readonly STRtree<int> _edges = new();
    private readonly STRtree<NetTopologySuite.Geometries.Geometry> _solids = new();

    /// <summary>A viewshed calculator over the given obstacles (polygons are solid footprints, lines are walls), all in
    /// metres. The factory (default: floating precision, SRID 0) makes the result polygons.</summary>
    public CameraViewshed(IEnumerable<NetTopologySuite.Geometries.Geometry>? obstacles = null, GeometryFactory? factory = null,
        double segmentsPerDegree = DefaultSegmentsPerDegree)
    {
        if (!(segmentsPerDegree is > 0 and <= 4)) throw new ArgumentOutOfRangeException(nameof(segmentsPerDegree), segmentsPerDegree, "Use (0, 4] chords per degree.");
        Factory = factory ?? new GeometryFactory();
        SegmentsPerDegree = segmentsPerDegree;
        var ax = new List<double>();
        var ay = new List<double>();
        var bx = new List<double>();
        var by = new List<double>();
        var side = new List<sbyte>();
        foreach (var obstacle in obstacles ?? [])
        {
            if (obstacle is null || obstacle.IsEmpty) continue;
            ObstacleCount++;
            for (var g = 0; g < obstacle.NumGeometries; g++)
            {
                var part = obstacle.GetGeometryN(g);
                if (part is Polygon polygon)
                {
                    _solids.Insert(polygon.EnvelopeInternal, polygon);
                    var shell = polygon.ExteriorRing.CoordinateSequence;
                    AddLine(shell, Orientation.IsCCW(shell) ? (sbyte)1 : (sbyte)-1);
                    foreach (var hole in polygon.InteriorRings)
                    {
                        AddLine(hole.CoordinateSequence, Orientation.IsCCW(hole.CoordinateSequence) ? (sbyte)-1 : (sbyte)1);
                    }
                }
                else if (part is LineString line)
                {
                    AddLine(line.CoordinateSequence, 0);
                }
            }
        }
        _ax = [.. ax];
        _ay = [.. ay];
        _bx = [.. bx];
        _by = [.. by];
        _interiorSide = [.. side];
        for (var i = 0; i < _ax.Length; i++) _edges.Insert(new Envelope(_ax[i], _bx[i], _ay[i], _by[i]), i);
        _edges.Build();
        _solids.Build();

        void AddLine(CoordinateSequence seq, sbyte interiorSide)
        {
            for (var i = 1; i < seq.Count; i++)
            {
                double x0 = seq.GetX(i - 1), y0 = seq.GetY(i - 1), x1 = seq.GetX(i), y1 = seq.GetY(i);
                if (x0 == x1 && y0 == y1) continue;
                ax.Add(x0);
                ay.Add(y0);
                bx.Add(x1);
                by.Add(y1);
                side.Add(interiorSide);
            }
        }
    }

    public GeometryFactory Factory { get; }

    public double SegmentsPerDegree { get; }

    /// <summary>Non-empty obstacles given.</summary>
    public int ObstacleCount { get; }

    /// <summary>Obstacle edges indexed.</summary>
    public int EdgeCount => _ax.Length;

    /// <summary>The camera's view: the (union of its) occluded sector(s) minus its privacy masks; empty for a camera that
    /// is not online. A Polygon or MultiPolygon, possibly empty.</summary>
    public NetTopologySuite.Geometries.Geometry View(CameraSpec camera)
    {
        ArgumentNullException.ThrowIfNull(camera);
        camera.Validate();
        if (!camera.IsOperational) return Factory.CreatePolygon();
        var sectors = camera.Sectors();
        var parts = new List<NetTopologySuite.Geometries.Geometry>(sectors.Count);
        foreach (var (heading, fov) in sectors)
        {
            var part = VisibleSector(camera.Position, heading, fov, camera.RangeM);
            if (!part.IsEmpty) parts.Add(part);
        }
        NetTopologySuite.Geometries.Geometry view = parts.Count switch
        {
            0 => Factory.CreatePolygon(),
            1 => parts[0],
            _ => RobustOverlay.Union(parts, Factory),
        };
        if (camera.PrivacyMasks is { Count: > 0 } masks && !view.IsEmpty)
        {
            var relevant = masks.Where(m => m is not null && !m.IsEmpty && m.EnvelopeInternal.Intersects(view.EnvelopeInternal)).ToList();
            if (relevant.Count > 0) view = RobustOverlay.Difference(view, RobustOverlay.Union(relevant, Factory));
        }
        return RobustOverlay.Polygonal(view, Factory);
    }

    /// <summary>The views of many cameras, in order (offline and faulty cameras give empty views). Uses all cores.</summary>
    public NetTopologySuite.Geometries.Geometry[] Views(IReadOnlyList<CameraSpec> cameras)
    {
        ArgumentNullException.ThrowIfNull(cameras);
        var views = new NetTopologySuite.Geometries.Geometry[cameras.Count];
        Parallel.For(0, cameras.Count, i => views[i] = View(cameras[i]));
        return views;
    }

    /// <summary>One camera's view against the given obstacles (see <see cref="View"/>); builds the index each call.</summary>
    public static NetTopologySuite.Geometries.Geometry Compute(CameraSpec camera, IEnumerable<NetTopologySuite.Geometries.Geometry>? obstacles = null,
        GeometryFactory? factory = null) => new CameraViewshed(obstacles, factory).View(camera);

    /// <summary>The unoccluded sector: the camera point and an arc of <paramref name="rangeM"/> from heading − FOV/2 to
    /// heading + FOV/2 (compass degrees), or the whole disc for FOV = 360°. ⌈FOV · segmentsPerDegree⌉ chords.</summary>
    public static Polygon Sector(Coordinate position, double headingDeg, double fieldOfViewDeg, double rangeM,
        GeometryFactory? factory = null, double segmentsPerDegree = DefaultSegmentsPerDegree)
    {
        new CameraSpec(position, headingDeg, fieldOfViewDeg, rangeM).Validate();
        var viewshed = new CameraViewshed(null, factory, segmentsPerDegree);
        return (Polygon)viewshed.VisibleSector(position, headingDeg, fieldOfViewDeg, rangeM);
    }

    /// <summary>Whether a camera in this status covers anything: only <c>online</c> does.</summary>
    public static bool Covers(Domain.CameraStatus status) => status == Domain.CameraStatus.Online;

    /// <summary>The cameras that cover anything (online), in order.</summary>
    public static IEnumerable<CameraSpec> Operational(IEnumerable<CameraSpec> cameras) => cameras.Where(c => c.IsOperational);

    /// <summary>Compass degrees normalised to [0, 360).</summary>
    public static double NormalizeDeg(double degrees)
    {
        var d = degrees % 360;
        if (d < 0) d += 360;
        return d >= 360 ? 0 : d;
    }

    private NetTopologySuite.Geometries.Geometry VisibleSector(Coordinate p, double headingDeg, double fovDeg, double range)
    {
        double px = p.X, py = p.Y;
        var full = fovDeg >= 360;
        var width = full ? 360 : fovDeg;
        var start = NormalizeDeg(headingDeg - width / 2);

        // inside a solid footprint: nothing visible; on its boundary: probe which rays go into it
        var facades = new List<NetTopologySuite.Geometries.Geometry>();
        foreach (var solid in _solids.Query(new Envelope(p)))
        {
            var location = SimplePointInAreaLocator.Locate(p, solid);
            if (location == Location.Interior) return Factory.CreatePolygon();
            if (location == Location.Boundary) facades.Add(solid);
        }

        var reach = new Envelope(px - range, px + range, py - range, py + range);
        var candidates = new List<int>();
        var r2 = range * range;
        foreach (var e in _edges.Query(reach))
        {
            // back faces (the camera on the solid's side) are never the first hit from outside the solid: skip them
            if (_interiorSide[e] != 0)
            {
                var cross = (_bx[e] - _ax[e]) * (py - _ay[e]) - (_by[e] - _ay[e]) * (px - _ax[e]);
                if (cross * _interiorSide[e] > 0) continue;
            }
            if (SegmentDistanceSquared(px, py, _ax[e], _ay[e], _bx[e], _by[e]) <= r2) candidates.Add(e);
        }

        var angles = new List<double>();
        var arcSteps = Math.Max(1, (int)Math.Ceiling(width * SegmentsPerDegree - 1e-9));
        for (var i = 0; i <= arcSteps; i++) angles.Add(width * i / arcSteps);
        foreach (var e in candidates)
        {
            AddEvent(_ax[e], _ay[e]);
            AddEvent(_bx[e], _by[e]);
            AddCircleCrossings(_ax[e], _ay[e], _bx[e], _by[e]);
        }
        angles.Sort();

        var ring = new List<Coordinate>(angles.Count + 2);
        var ringEdge = new List<int>(angles.Count + 2);
        if (!full)
        {
            ring.Add(new Coordinate(px, py));
            ringEdge.Add(-2);
        }
        var previous = double.NaN;
        foreach (var rel in angles)
        {
            if (rel - previous < 1e-9) continue;
            previous = rel;
            if (full && rel >= 360 - 1e-9) continue;
            var theta = (start + rel) * DegToRad;
            double dx = Math.Sin(theta), dy = Math.Cos(theta);
            var (t, edge) = Cast(px, py, dx, dy, range, candidates);
            if (facades.Count > 0 && t > 0)
            {
                var probe = new Coordinate(px + FacadeProbeM * dx, py + FacadeProbeM * dy);
                if (facades.Any(f => SimplePointInAreaLocator.Locate(probe, f) == Location.Interior)) (t, edge) = (0, -2);
            }
            var hit = edge >= 0 ? OnEdge(edge, px + t * dx, py + t * dy) : new Coordinate(px + t * dx, py + t * dy);
            if (ring.Count > 0 && ring[^1].Distance(hit) < 1e-9) continue;
            if (edge >= 0 && ring.Count >= 2 && ringEdge[^1] == edge && ringEdge[^2] == edge)
            {
                ring[^1] = hit; // the previous hit lies between its neighbours on the same edge
                continue;
            }
            ring.Add(hit);
            ringEdge.Add(edge);
        }
        if (ring.Count > 1 && ring[0].Distance(ring[^1]) < 1e-9) ring.RemoveAt(ring.Count - 1);
        if (ring.Count < 3) return Factory.CreatePolygon();
        ring.Add(ring[0].Copy());
        var polygon = Factory.CreatePolygon([.. ring]);
        if (polygon.IsValid) return polygon;
        return RobustOverlay.Polygonal(GeometryFixer.Fix(polygon), Factory);

        void AddEvent(double x, double y)
        {
            double dx = x - px, dy = y - py;
            if (dx * dx + dy * dy > r2 || (dx == 0 && dy == 0)) return;
            AddAngle(Math.Atan2(dx, dy) / DegToRad);
        }

        void AddCircleCrossings(double x0, double y0, double x1, double y1)
        {
            // |(a − p) + u (b − a)|² = r², u ∈ [0, 1]
            double fx = x0 - px, fy = y0 - py, ex = x1 - x0, ey = y1 - y0;
            var a = ex * ex + ey * ey;
            var b = 2 * (fx * ex + fy * ey);
            var c = fx * fx + fy * fy - r2;
            var disc = b * b - 4 * a * c;
            if (disc < 0) return;
            var sq = Math.Sqrt(disc);
            var u0 = (-b - sq) / (2 * a);
            var u1 = (-b + sq) / (2 * a);
            if (u0 is >= 0 and <= 1) AddAngle(Math.Atan2(fx + u0 * ex, fy + u0 * ey) / DegToRad);
            if (u1 is >= 0 and <= 1 && u1 != u0) AddAngle(Math.Atan2(fx + u1 * ex, fy + u1 * ey) / DegToRad);
        }

        void AddAngle(double compassDeg)
        {
            var rel = NormalizeDeg(compassDeg - start);
            for (var k = -1; k <= 1; k++)
            {
                var a = rel + k * EventEpsilonDeg;
                if (full) angles.Add(NormalizeDeg(a));
                else if (a >= 0 && a <= width) angles.Add(a);
                else if (a >= 360 && a - 360 <= width) angles.Add(a - 360);
            }
        }
    }

    /// <summary>Distance along the unit ray (dx, dy) from (px, py) to the nearest candidate edge and that edge, or the range and −1.</summary>
    private (double T, int Edge) Cast(double px, double py, double dx, double dy, double range, List<int> candidates)
    {
        var best = range;
        var bestEdge = -1;
        foreach (var e in candidates)
        {
            double ax = _ax[e], ay = _ay[e];
            double ex = _bx[e] - ax, ey = _by[e] - ay;
            var denom = dx * ey - dy * ex;
            if (Math.Abs(denom) < 1e-12 * (Math.Abs(ex) + Math.Abs(ey))) continue; // parallel: its endpoints are hit by other rays
            double wx = ax - px, wy = ay - py;
            var t = (wx * ey - wy * ex) / denom;
            if (t <= 1e-9 || t >= best) continue;
            var u = (wx * dy - wy * dx) / denom;
            if (u < -1e-12 || u > 1 + 1e-12) continue;
            best = t;
            bestEdge = e;
        }
        return (best, bestEdge);
    }

    /// <summary>The hit point rebuilt from the edge's own parametrisation (its vertex when within 10⁻⁹ of an end), so
    /// that hits on one façade from different cameras lie exactly on the same line: an axis-parallel wall keeps its
    /// exact x or y. Overlaying such views then stays on OverlayNG's fast floating-point path.</summary>
    private Coordinate OnEdge(int e, double x, double y)
    {
        double ax = _ax[e], ay = _ay[e], ex = _bx[e] - ax, ey = _by[e] - ay;
        var u = ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey);
        if (u <= 1e-9) return new Coordinate(ax, ay);
        if (u >= 1 - 1e-9) return new Coordinate(_bx[e], _by[e]);
        return new Coordinate(ex == 0 ? ax : ax + u * ex, ey == 0 ? ay : ay + u * ey);
    }

    private static double SegmentDistanceSquared(double px, double py, double ax, double ay, double bx, double by)
    {
        double ex = bx - ax, ey = by - ay;
        var len2 = ex * ex + ey * ey;
        var u = len2 == 0 ? 0 : Math.Clamp(((px - ax) * ex + (py - ay) * ey) / len2, 0, 1);
        double qx = ax + u * ex - px, qy = ay + u * ey - py;
        return qx * qx + qy * qy;
    }
}
