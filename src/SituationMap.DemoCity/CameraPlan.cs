using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;

namespace SituationMap.DemoCity;

/// <summary>A camera in metres (heading already a true compass heading).</summary>
internal sealed record MetricCamera(
    Coordinate Location,
    CameraKind Kind,
    double HeadingDeg,
    double FieldOfViewDeg,
    double RangeM,
    double MountingHeightM,
    CameraStatus Status,
    Polygon? PrivacyMask,
    DateTimeOffset InstalledAt,
    string OwnerUnit,
    string DistrictCode,
    string RoadName);

/// <summary>
/// Places the cameras in pools with fixed shares: at junctions and along roads (weighted by density and road class,
/// thinned in urban villages and fringes), around key facilities, schools and crowded places (dense), at residential
/// community gates (sparse), a few in villages, fringes, hotspot and mining areas, and number-plate checkpoints on
/// rural arterials. Offline and fault cameras are drawn three times as often in villages, fringes and the
/// countryside, which is where the coverage gaps are in practice.
/// </summary>
internal sealed class CameraPlan
{
    private enum Pool
    {
        Junction,
        AlongRoad,
        KeyFacility,
        School,
        Crowded,
        Community,
        Hotspot,
        Village,
        Fringe,
        Mining,
        Checkpoint,
    }

    private static readonly double[] PoolShares = [0.37, 0.22, 0.15, 0.05, 0.08, 0.06, 0.02, 0.012, 0.008, 0.01, 0.02];

    // probabilities of fixed, ptz, dome per pool
    private static readonly double[][] KindMix =
    [
        [0.65, 0.25, 0.10], [0.88, 0.05, 0.07], [0.70, 0.10, 0.20], [0.70, 0.05, 0.25], [0.50, 0.25, 0.25], [0.70, 0.00, 0.30],
        [0.60, 0.25, 0.15], [0.70, 0.10, 0.20], [0.75, 0.15, 0.10], [0.60, 0.30, 0.10], [0.95, 0.05, 0.00],
    ];

    private readonly UrbanForm _form;
    private readonly StreetGrid _grid;
    private readonly DistrictPlan _districts;
    private readonly IReadOnlyList<MetricZone> _zones;
    private readonly RoadLocator _roads;
    private readonly Wgs84Output _output;
    private readonly Random _random;
    private readonly AreaIndex _villagesAndFringes;
    private readonly List<Draft> _drafts = [];

    private CameraPlan(UrbanForm form, StreetGrid grid, DistrictPlan districts, IReadOnlyList<MetricZone> zones, RoadLocator roads, Wgs84Output output, Random random)
    {
        _form = form;
        _grid = grid;
        _districts = districts;
        _zones = zones;
        _roads = roads;
        _output = output;
        _random = random;
        _villagesAndFringes = new AreaIndex(zones.Where(z => z.Kind is ZoneKind.UrbanVillage or ZoneKind.UrbanRuralFringe).Select(z => z.Area));
    }

    public static List<MetricCamera> Build(UrbanForm form, StreetGrid grid, DistrictPlan districts, IReadOnlyList<MetricZone> zones, RoadLocator roads, Wgs84Output output, DemoCityOptions options, Random random)
    {
        var plan = new CameraPlan(form, grid, districts, zones, roads, output, random);
        var quotas = Apportion.LargestRemainder(options.CameraCount, PoolShares);
        // checkpoints first: whatever rural junctions cannot take goes to the urban junction pool
        quotas[(int)Pool.Junction] += quotas[(int)Pool.Checkpoint] - plan.PlaceCheckpoints(quotas[(int)Pool.Checkpoint]);
        plan.PlaceAtJunctions(quotas[(int)Pool.Junction]);
        plan.PlaceAlongRoads(quotas[(int)Pool.AlongRoad]);
        plan.PlaceInZones(Pool.KeyFacility, ZoneKind.KeyFacility, quotas[(int)Pool.KeyFacility], perimeter: true);
        plan.PlaceInZones(Pool.School, ZoneKind.School, quotas[(int)Pool.School], perimeter: true);
        plan.PlaceInZones(Pool.Crowded, ZoneKind.CrowdedPublicPlace, quotas[(int)Pool.Crowded], perimeter: true);
        plan.PlaceInZones(Pool.Community, ZoneKind.ResidentialCommunity, quotas[(int)Pool.Community], perimeter: true);
        plan.PlaceInZones(Pool.Hotspot, ZoneKind.DisorderHotspotArea, quotas[(int)Pool.Hotspot], perimeter: false);
        plan.PlaceInZones(Pool.Village, ZoneKind.UrbanVillage, quotas[(int)Pool.Village], perimeter: false);
        plan.PlaceInZones(Pool.Fringe, ZoneKind.UrbanRuralFringe, quotas[(int)Pool.Fringe], perimeter: false);
        plan.PlaceInZones(Pool.Mining, ZoneKind.MiningArea, quotas[(int)Pool.Mining], perimeter: false);
        return plan.Finish(options);
    }

    private int PlaceCheckpoints(int wanted)
    {
        var candidates = _grid.Junctions().Where(j => j.Density < 0.1 && j.BestClass <= RoadClass.Primary).ToList();
        _random.Shuffle(candidates);
        var placed = 0;
        foreach (var junction in candidates.Take(wanted))
        {
            var towards = _random.Pick(junction.Neighbours);
            var (dx, dy) = Unit(junction.Location, towards);
            var location = new Coordinate(junction.Location.X + (dx * 15) - (dy * 6), junction.Location.Y + (dy * 15) + (dx * 6));
            Add(Pool.Checkpoint, location, (-dx, -dy), CameraKind.Fixed);
            placed++;
        }
        return placed;
    }

    private void PlaceAtJunctions(int wanted)
    {
        var junctions = _grid.Junctions().Where(j => j.Density >= 0.15).ToList();
        var weights = junctions.Select(j => Math.Pow(j.Density, 1.5) * ClassWeight(j.BestClass) * (_villagesAndFringes.Any(j.Location) ? 0.15 : 1)).ToArray();
        var sampler = new WeightedSampler(weights);
        var used = new int[junctions.Count];
        for (var placed = 0; placed < wanted;)
        {
            var k = sampler.Sample(_random);
            if (used[k] >= 2 && !_random.Chance(0.05)) continue;
            used[k]++;
            var junction = junctions[k];
            var (dx, dy) = Unit(junction.Location, _random.Pick(junction.Neighbours));
            var along = _random.Uniform(6, 14);
            var side = _random.Uniform(4, 9) * (_random.Chance(0.5) ? 1 : -1);
            var location = new Coordinate(junction.Location.X + (dx * along) - (dy * side), junction.Location.Y + (dy * along) + (dx * side));
            // looks back across the junction into the opposite approach
            Add(Pool.Junction, location, Rotate((-dx, -dy), _random.Uniform(-6, 6)), PickKind(Pool.Junction));
            placed++;
        }
    }

    private void PlaceAlongRoads(int wanted)
    {
        var roads = _grid.Roads;
        var weights = roads.Select((r, k) =>
        {
            var mid = r.Coordinates[r.Coordinates.Length / 2];
            return _roads.Length(k) * Math.Pow(_form.Density(mid), 1.5) * ClassWeight(r.Class) * (_villagesAndFringes.Any(mid) ? 0.15 : 1);
        }).ToArray();
        var sampler = new WeightedSampler(weights);
        for (var placed = 0; placed < wanted; placed++)
        {
            var k = sampler.Sample(_random);
            var (point, (dx, dy)) = _roads.PointAlong(k, _random.Uniform(0, _roads.Length(k)));
            var side = _random.Uniform(4, 9) * (_random.Chance(0.5) ? 1 : -1);
            var location = new Coordinate(point.X - (dy * side), point.Y + (dx * side));
            var sign = _random.Chance(0.5) ? 1 : -1;
            Add(Pool.AlongRoad, location, Rotate((dx * sign, dy * sign), _random.Uniform(-8, 8)), PickKind(Pool.AlongRoad));
        }
    }

    /// <summary>Cameras in zones of one kind, zones drawn by area. Perimeter cameras stand on the fence and look in;
    /// area cameras stand anywhere inside and look along the nearest road.</summary>
    private void PlaceInZones(Pool pool, ZoneKind kind, int wanted, bool perimeter)
    {
        var zones = _zones.Where(z => z.Kind == kind).ToList();
        if (zones.Count == 0 || wanted == 0) return;
        var sampler = new WeightedSampler(zones.Select(z => z.Area.Area).ToArray());
        var indexes = zones.Select(z => new AreaIndex([z.Area])).ToArray();
        for (var placed = 0; placed < wanted; placed++)
        {
            var k = sampler.Sample(_random);
            var zone = zones[k];
            var cameraKind = PickKind(pool);
            if (perimeter && cameraKind != CameraKind.Dome)
            {
                var ring = ((Polygon)PolygonOf(zone.Area)).ExteriorRing;
                var lengths = new double[ring.NumPoints];
                for (var v = 1; v < ring.NumPoints; v++) lengths[v] = lengths[v - 1] + ring.GetCoordinateN(v).Distance(ring.GetCoordinateN(v - 1));
                var target = _random.Uniform(0, lengths[^1]);
                var s = 1;
                while (s < lengths.Length - 1 && lengths[s] < target) s++;
                var (a, b) = (ring.GetCoordinateN(s - 1), ring.GetCoordinateN(s));
                var t = (target - lengths[s - 1]) / Math.Max(1e-9, lengths[s] - lengths[s - 1]);
                var onFence = new Coordinate(a.X + ((b.X - a.X) * t), a.Y + ((b.Y - a.Y) * t));
                var centre = zone.Area.InteriorPoint.Coordinate;
                var (dx, dy) = Unit(onFence, centre);
                var location = new Coordinate(onFence.X + (dx * 2), onFence.Y + (dy * 2));
                Add(pool, location, Rotate((dx, dy), _random.Uniform(-30, 30)), cameraKind);
            }
            else
            {
                var location = RandomPointIn(zone.Area, indexes[k]);
                var hit = _roads.Nearest(location.X, location.Y);
                var direction = hit is { } h ? h.Direction : (0.0, 1.0);
                var sign = _random.Chance(0.5) ? 1 : -1;
                Add(pool, location, Rotate((direction.Item1 * sign, direction.Item2 * sign), _random.Uniform(-20, 20)), cameraKind);
            }
        }
    }

    private Coordinate RandomPointIn(Geometry area, AreaIndex index)
    {
        var envelope = area.EnvelopeInternal;
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var c = new Coordinate(_random.Uniform(envelope.MinX, envelope.MaxX), _random.Uniform(envelope.MinY, envelope.MaxY));
            if (index.Contains(0, c)) return c;
        }
        return area.InteriorPoint.Coordinate;
    }

    private static Geometry PolygonOf(Geometry area) => area is MultiPolygon multi ? multi.Geometries.MaxBy(g => g.Area)! : area;

    private CameraKind PickKind(Pool pool) => (CameraKind)_random.PickWeighted(KindMix[(int)pool]);

    private void Add(Pool pool, Coordinate location, (double X, double Y) lookDirection, CameraKind kind)
    {
        double fov, range, height;
        switch (kind)
        {
            case CameraKind.Ptz:
                (fov, range, height) = (360, _random.Uniform(80, 150), _random.Uniform(6, 12));
                break;
            case CameraKind.Dome:
                (fov, range, height) = (_random.Chance(0.5) ? 360 : _random.Uniform(90, 180), _random.Uniform(30, 80), _random.Uniform(3, 6));
                break;
            default:
                var longView = pool is Pool.AlongRoad or Pool.Checkpoint;
                (fov, range, height) = (_random.Uniform(50, 110), longView ? _random.Uniform(50, 150) : _random.Uniform(30, 120), _random.Uniform(4, 8));
                break;
        }
        var ahead = new Coordinate(location.X + (lookDirection.X * 50), location.Y + (lookDirection.Y * 50));
        _drafts.Add(new Draft(pool, location, lookDirection, kind, Math.Round(fov), Math.Round(range), Math.Round(height, 1), _output.Heading(location, ahead)));
    }

    private List<MetricCamera> Finish(DemoCityOptions options)
    {
        var n = _drafts.Count;
        // statuses: exact shares, faults and outages concentrated where maintenance is poor
        var offline = (int)Math.Round(n * 0.05, MidpointRounding.AwayFromZero);
        var fault = (int)Math.Round(n * 0.02, MidpointRounding.AwayFromZero);
        var keys = _drafts.Select((d, k) =>
        {
            var weight = d.Pool is Pool.Village or Pool.Fringe or Pool.Mining or Pool.Checkpoint or Pool.Hotspot ? 3.0 : 1.0;
            return (Key: Math.Pow(_random.NextDouble(), 1 / weight), Index: k);
        }).OrderByDescending(p => p.Key).ThenBy(p => p.Index).ToArray();
        var status = new CameraStatus[n];
        for (var r = 0; r < n; r++) status[keys[r].Index] = r < offline ? CameraStatus.Offline : r < offline + fault ? CameraStatus.Fault : CameraStatus.Online;

        // privacy masks for a few cameras that look towards residential windows
        var communities = _zones.Where(z => z.Kind == ZoneKind.ResidentialCommunity).ToList();
        var communityIndex = new AreaIndex(communities.Select(c => c.Area));
        var nearHomes = Enumerable.Range(0, n).Where(k => communityIndex.Any(Ahead(_drafts[k], 0.5))).ToList();
        _random.Shuffle(nearHomes);
        var masked = nearHomes.Take(Math.Max(3, (int)Math.Round(n * 0.012))).ToHashSet();

        var yearEndDate = options.YearEnd.UtcDateTime.Date;
        var cameras = new List<MetricCamera>(n);
        for (var k = 0; k < n; k++)
        {
            var d = _drafts[k];
            var district = _districts.At(d.Location) ?? throw new InvalidOperationException("A camera fell outside every district.");
            var installed = new DateTimeOffset(yearEndDate.AddDays(-_random.Next(30, (8 * 365) + 1)), TimeSpan.Zero);
            var road = _roads.Nearest(d.Location.X, d.Location.Y) is { } hit ? _grid.Roads[hit.Road].Name : "";
            cameras.Add(new MetricCamera(
                d.Location, d.Kind, d.Heading, d.Fov, d.Range, d.Height, status[k],
                masked.Contains(k) ? Mask(d) : null,
                installed, _districts.NearestStation(d.Location).Name, district.Code, road));
        }
        var districtOrder = _districts.Districts.Select((x, i) => (x.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        return cameras.OrderBy(c => districtOrder[c.DistrictCode]).ThenByDescending(c => c.Location.Y).ThenBy(c => c.Location.X).ToList();
    }

    private static Coordinate Ahead(Draft d, double fraction) =>
        new(d.Location.X + (d.Look.X * d.Range * fraction), d.Location.Y + (d.Look.Y * d.Range * fraction));

    /// <summary>An annular sector straight ahead (30–65 % of the range, a third of the field of view or at most
    /// ±15°): inside the view by construction.</summary>
    private Polygon Mask(Draft d)
    {
        var halfWidth = Math.Min(15, d.Fov / 6) * Math.PI / 180;
        var centre = Math.Atan2(d.Look.Y, d.Look.X);
        var (near, far) = (d.Range * 0.3, d.Range * 0.65);
        var ring = new List<Coordinate>();
        for (var s = 0; s <= 4; s++) ring.Add(Polar(d.Location, centre - halfWidth + (halfWidth * s / 2), far));
        for (var s = 4; s >= 0; s--) ring.Add(Polar(d.Location, centre - halfWidth + (halfWidth * s / 2), near));
        ring.Add(ring[0].Copy());
        return _form.Factory.CreatePolygon([.. ring]);
    }

    private static Coordinate Polar(Coordinate origin, double angle, double distance) =>
        new(origin.X + (distance * Math.Cos(angle)), origin.Y + (distance * Math.Sin(angle)));

    private static double ClassWeight(RoadClass roadClass) => roadClass switch
    {
        RoadClass.Trunk or RoadClass.Primary => 3,
        RoadClass.Secondary => 2,
        RoadClass.Tertiary => 1.3,
        _ => 1,
    };

    private static (double X, double Y) Unit(Coordinate from, Coordinate to)
    {
        var (dx, dy) = (to.X - from.X, to.Y - from.Y);
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        return length > 0 ? (dx / length, dy / length) : (0, 1);
    }

    private static (double X, double Y) Rotate((double X, double Y) v, double degrees)
    {
        var a = degrees * Math.PI / 180;
        return ((v.X * Math.Cos(a)) - (v.Y * Math.Sin(a)), (v.X * Math.Sin(a)) + (v.Y * Math.Cos(a)));
    }

    private sealed record Draft(Pool Pool, Coordinate Location, (double X, double Y) Look, CameraKind Kind, double Fov, double Range, double Height, double Heading);
}
