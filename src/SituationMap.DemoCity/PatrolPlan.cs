using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using SituationMap.Analysis.Domain;

namespace SituationMap.DemoCity;

/// <summary>A patrol route in metres: one closed loop of lattice nodes, so every vertex is a road vertex.</summary>
internal sealed record MetricRoute(
    string Name,
    PatrolLevel Level,
    PatrolMode Mode,
    string OwnerUnit,
    IReadOnlyList<ShiftWindow> Shifts,
    PatrolRouteStatus Status,
    string? DistrictCode,
    Coordinate[] Loop)
{
    public double Length { get; } = Enumerable.Range(1, Loop.Length - 1).Sum(k => Loop[k].Distance(Loop[k - 1]));
}

internal sealed record MetricUnit(
    string CallSign,
    PatrolLevel Level,
    PatrolMode Mode,
    PatrolUnitStatus Status,
    string? DistrictCode,
    Coordinate Position,
    DateTimeOffset LastSeen,
    double SpeedMps,
    double HeadingDeg);

/// <summary>
/// Three-level patrol control on the street grid. Routes are rectangular loops around blocks of the lattice whose
/// every edge is a road: level 1 on arterials (10–25 km, 4–6 routes, city-wide), level 2 on collectors inside one
/// district (4–12 km, 2–3 per district), level 3 on local streets inside one district (1.5–5 km, 3–5 per district).
/// Units are spread over the active routes of their level and placed somewhere on them.
/// </summary>
internal sealed class PatrolPlan
{
    /// <summary>Length bands (metres) per level, as promised in the README and checked by the tests.</summary>
    public static readonly IReadOnlyDictionary<PatrolLevel, (double Min, double Max)> LengthBands = new Dictionary<PatrolLevel, (double, double)>
    {
        [PatrolLevel.City] = (10_000, 25_000),
        [PatrolLevel.District] = (4_000, 12_000),
        [PatrolLevel.Community] = (1_500, 5_000),
    };

    private readonly UrbanForm _form;
    private readonly StreetGrid _grid;
    private readonly DistrictPlan _districts;
    private readonly Wgs84Output _output;
    private readonly Random _random;

    private PatrolPlan(UrbanForm form, StreetGrid grid, DistrictPlan districts, Wgs84Output output, Random random)
    {
        _form = form;
        _grid = grid;
        _districts = districts;
        _output = output;
        _random = random;
    }

    public List<MetricRoute> Routes { get; } = [];

    public List<MetricUnit> Units { get; } = [];

    public static PatrolPlan Build(UrbanForm form, StreetGrid grid, DistrictPlan districts, Wgs84Output output, DemoCityOptions options, Random random)
    {
        var plan = new PatrolPlan(form, grid, districts, output, random);
        plan.AddCityRoutes();
        foreach (var district in districts.Districts) plan.AddDistrictRoutes(district);
        foreach (var district in districts.Districts) plan.AddCommunityRoutes(district);
        plan.AssignStatuses();
        plan.AddUnits(options);
        return plan;
    }

    private sealed record Candidate(int I1, int I2, int J1, int J2, Coordinate[] Loop, double Length, Coordinate Centre);

    private void AddCityRoutes()
    {
        var found = new List<Candidate>();
        var (min, max) = LengthBands[PatrolLevel.City];
        var ring = _grid.Ring;
        if (Try(ring.West, ring.East, ring.South, ring.North) is { } ringLoop && ringLoop.Length >= min && ringLoop.Length <= max) found.Add(ringLoop);

        var columns = _grid.ColumnLines.Where(l => l.Tier == 0 && l.HasEdges).ToArray();
        var rows = _grid.RowLines.Where(l => l.Tier == 0 && l.HasEdges).ToArray();
        var wanted = 5;
        for (var attempt = 0; attempt < 20_000 && found.Count < wanted; attempt++)
        {
            var (c1, c2) = Pair(columns, 1_500, 8_000);
            var (r1, r2) = Pair(rows, 1_500, 8_000);
            if (c1 < 0 || r1 < 0 || Try(c1, c2, r1, r2) is not { } candidate) continue;
            if (candidate.Length < min || candidate.Length > max) continue;
            if (_form.Density(candidate.Centre) < 0.35) continue;
            if (found.Any(f => f.Centre.Distance(candidate.Centre) < 1_500)) continue;
            found.Add(candidate);
        }
        for (var k = 0; k < found.Count; k++)
        {
            var c = found[k];
            var label = k == 0 && c.I1 == ring.West && c.I2 == ring.East && c.J1 == ring.South && c.J2 == ring.North ? "环城路" : Label(c);
            Routes.Add(new MetricRoute($"市级{k + 1}号巡线·{label}", PatrolLevel.City, PatrolMode.Vehicle, DistrictPlan.CityPatrolDetachment,
                [Shift(8, 0, 20, 0), Shift(20, 0, 8, 0)], PatrolRouteStatus.Active, null, c.Loop));
        }
    }

    private void AddDistrictRoutes(MetricDistrict district)
    {
        var wanted = 2 + _random.Next(2);
        var found = Search(district, wanted, tiers: [0, 1], minSideLength: 700, maxSideLength: 4_000, LengthBands[PatrolLevel.District], separation: 800, minDensity: 0.05,
            accept: (i1, i2, j1, j2) => CountTier(1, i1, i2, j1, j2) >= 2);
        if (found.Count < wanted)
        {
            found.AddRange(Search(district, wanted - found.Count, tiers: [0, 1], minSideLength: 700, maxSideLength: 4_000, LengthBands[PatrolLevel.District], separation: 800, minDensity: 0.0,
                accept: (_, _, _, _) => true, existing: found));
        }
        for (var k = 0; k < found.Count; k++)
        {
            var vehicle = _random.Chance(0.7);
            IReadOnlyList<ShiftWindow> shifts = vehicle ? [Shift(7, 30, 19, 30), Shift(19, 30, 7, 30)] : [Shift(8, 0, 12, 0), Shift(14, 0, 18, 0)];
            Routes.Add(new MetricRoute($"{district.ShortName}区级{k + 1}号巡线·{Label(found[k])}", PatrolLevel.District,
                vehicle ? PatrolMode.Vehicle : PatrolMode.Bicycle, district.PatrolBrigade, shifts, PatrolRouteStatus.Active, district.Code, found[k].Loop));
        }
    }

    private void AddCommunityRoutes(MetricDistrict district)
    {
        var wanted = 3 + _random.Next(3);
        var band = LengthBands[PatrolLevel.Community];
        var found = Search(district, wanted, tiers: [2, 3], minSideLength: 250, maxSideLength: 1_500, band, separation: 500, minDensity: 0.28,
            accept: (_, _, _, _) => true);
        if (found.Count < wanted)
        {
            found.AddRange(Search(district, wanted - found.Count, tiers: [1, 2, 3], minSideLength: 250, maxSideLength: 1_500, band, separation: 500, minDensity: 0.1,
                accept: (i1, i2, j1, j2) => CountTier(1, i1, i2, j1, j2) <= 2, existing: found));
        }
        if (found.Count < 2)
        {
            found.AddRange(Search(district, 2 - found.Count, tiers: [0, 1, 2, 3], minSideLength: 250, maxSideLength: 1_500, band, separation: 500, minDensity: 0.0,
                accept: (_, _, _, _) => true, existing: found));
        }
        for (var k = 0; k < found.Count; k++)
        {
            var c = found[k];
            var station = district.Stations.MinBy(s => s.Location.Distance(c.Centre))!;
            var foot = _random.Chance(0.6);
            IReadOnlyList<ShiftWindow> shifts = foot
                ? (_random.Chance(0.5) ? [Shift(9, 0, 12, 0), Shift(15, 0, 21, 0)] : [new ShiftWindow(new TimeOnly(18, 0), new TimeOnly(23, 0), [5, 6, 7])])
                : (_random.Chance(0.5) ? [Shift(8, 0, 20, 0)] : [new ShiftWindow(new TimeOnly(7, 0), new TimeOnly(19, 0), [1, 2, 3, 4, 5])]);
            Routes.Add(new MetricRoute($"{station.Word}派出所社区{k + 1}号巡线·{Label(c)}", PatrolLevel.Community,
                foot ? PatrolMode.Foot : PatrolMode.Bicycle, station.Name, shifts, PatrolRouteStatus.Active, district.Code, c.Loop));
        }
    }

    /// <summary>Random rectangles anchored at nodes inside the district: sides on lines of the given tiers, every
    /// edge a road, the whole loop inside the district, centres at least <paramref name="separation"/> apart.</summary>
    private List<Candidate> Search(MetricDistrict district, int wanted, int[] tiers, double minSideLength, double maxSideLength,
        (double Min, double Max) length, double separation, double minDensity, Func<int, int, int, int, bool> accept, List<Candidate>? existing = null)
    {
        var area = PreparedGeometryFactory.Prepare(district.Area);
        var columns = _grid.ColumnLines.Where(l => tiers.Contains(l.Tier) && l.HasEdges).ToArray();
        var rows = _grid.RowLines.Where(l => tiers.Contains(l.Tier) && l.HasEdges).ToArray();
        var found = new List<Candidate>();
        if (columns.Length < 2 || rows.Length < 2) return found;
        var anchors = new List<(int I, int J)>();
        for (var i = 0; i < _grid.ColumnCount; i += 2)
        {
            for (var j = 0; j < _grid.RowCount; j += 2)
            {
                var node = _grid.Nodes[i, j];
                if (_form.Density(node) >= minDensity && district.Area.EnvelopeInternal.Contains(node) && area.Contains(_form.Factory.CreatePoint(node))) anchors.Add((i, j));
            }
        }
        if (anchors.Count == 0) return found;
        for (var attempt = 0; attempt < 6_000 && found.Count < wanted; attempt++)
        {
            var (ai, aj) = _random.Pick(anchors);
            var c1 = Side(columns, ai, before: true, minSideLength, maxSideLength);
            var c2 = Side(columns, ai, before: false, minSideLength, maxSideLength);
            var r1 = Side(rows, aj, before: true, minSideLength, maxSideLength);
            var r2 = Side(rows, aj, before: false, minSideLength, maxSideLength);
            if (c1 < 0 || c2 < 0 || r1 < 0 || r2 < 0 || !accept(c1, c2, r1, r2)) continue;
            if (Try(c1, c2, r1, r2) is not { } candidate) continue;
            if (candidate.Length < length.Min || candidate.Length > length.Max) continue;
            if (found.Concat(existing ?? []).Any(f => f.Centre.Distance(candidate.Centre) < separation)) continue;
            if (!area.Covers(_form.Factory.CreateLineString(candidate.Loop))) continue;
            found.Add(candidate);
        }
        return found;
    }

    /// <summary>A random eligible line before (or after) lattice index <paramref name="anchor"/>, between a quarter of
    /// the shortest and half of the longest side length away from the anchor's line.</summary>
    private int Side(GridLine[] lines, int anchor, bool before, double minSide, double maxSide)
    {
        var anchorPosition = lines[0].Vertical ? _grid.ColumnLines[anchor].Position : _grid.RowLines[anchor].Position;
        var options = lines.Where(l => before ? l.Index <= anchor : l.Index > anchor)
            .Where(l => Math.Abs(l.Position - anchorPosition) >= minSide / 4 && Math.Abs(l.Position - anchorPosition) <= maxSide / 2).ToArray();
        return options.Length == 0 ? -1 : _random.Pick(options).Index;
    }

    private (int A, int B) Pair(GridLine[] lines, double minSide, double maxSide)
    {
        var a = _random.Pick(lines);
        var options = lines.Where(l => l.Index > a.Index && l.Position - a.Position >= minSide && l.Position - a.Position <= maxSide).ToArray();
        return options.Length == 0 ? (-1, -1) : (a.Index, _random.Pick(options).Index);
    }

    private Candidate? Try(int i1, int i2, int j1, int j2)
    {
        if (_grid.Loop(i1, i2, j1, j2) is not { } loop) return null;
        var length = Enumerable.Range(1, loop.Length - 1).Sum(k => loop[k].Distance(loop[k - 1]));
        var centre = _form.Factory.CreatePolygon(loop).Centroid.Coordinate;
        return new Candidate(i1, i2, j1, j2, loop, length, centre);
    }

    private int CountTier(int tier, int i1, int i2, int j1, int j2) =>
        new[] { _grid.ColumnLines[i1], _grid.ColumnLines[i2], _grid.RowLines[j1], _grid.RowLines[j2] }.Count(l => l.Tier == tier);

    /// <summary>"&lt;southern road&gt;—&lt;western road&gt;": two of the roads the loop runs on.</summary>
    private string Label(Candidate c)
    {
        var south = _grid.EdgeName(_grid.RowLines[c.J1], (c.I1 + c.I2) / 2) ?? "";
        var west = _grid.EdgeName(_grid.ColumnLines[c.I1], (c.J1 + c.J2) / 2) ?? "";
        return south == west ? south : $"{south}—{west}";
    }

    private static ShiftWindow Shift(int startHour, int startMinute, int endHour, int endMinute) =>
        new(new TimeOnly(startHour, startMinute), new TimeOnly(endHour, endMinute), []);

    /// <summary>About 8 % suspended and 4 % draft, never a city route.</summary>
    private void AssignStatuses()
    {
        var eligible = Enumerable.Range(0, Routes.Count).Where(k => Routes[k].Level != PatrolLevel.City).ToList();
        _random.Shuffle(eligible);
        var suspended = (int)Math.Round(Routes.Count * 0.08, MidpointRounding.AwayFromZero);
        var draft = (int)Math.Round(Routes.Count * 0.04, MidpointRounding.AwayFromZero);
        for (var n = 0; n < eligible.Count && n < suspended + draft; n++)
        {
            var k = eligible[n];
            Routes[k] = Routes[k] with { Status = n < suspended ? PatrolRouteStatus.Suspended : PatrolRouteStatus.Draft };
        }
    }

    private void AddUnits(DemoCityOptions options)
    {
        var total = options.PatrolUnitCount;
        var perLevel = Apportion.LargestRemainder(total, [1.0 / 6, 2.0 / 6, 3.0 / 6]);
        var statusCounts = Apportion.LargestRemainder(total, [0.60, 0.25, 0.15]);
        var statuses = new List<PatrolUnitStatus>();
        for (var s = 0; s < statusCounts.Length; s++) statuses.AddRange(Enumerable.Repeat((PatrolUnitStatus)s, statusCounts[s]));
        _random.Shuffle(statuses);

        var assignments = new List<(PatrolLevel Level, MetricRoute Route, string Key)>();
        PatrolLevel[] levels = [PatrolLevel.City, PatrolLevel.District, PatrolLevel.Community];
        for (var l = 0; l < levels.Length; l++)
        {
            var routes = Routes.Where(r => r.Level == levels[l] && r.Status == PatrolRouteStatus.Active).ToList();
            if (routes.Count == 0) routes = Routes.Where(r => r.Status == PatrolRouteStatus.Active).ToList();
            if (routes.Count == 0) routes = Routes.ToList();
            if (routes.Count == 0) break;
            _random.Shuffle(routes);
            for (var u = 0; u < perLevel[l]; u++)
            {
                var route = routes[u % routes.Count];
                assignments.Add((levels[l], route, $"{route.DistrictCode ?? "SJ"}-{(int)levels[l]}"));
            }
        }
        // call signs: prefix, level digit, number within the group (two digits when a group has ten or more)
        var groupSizes = assignments.GroupBy(a => a.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < assignments.Count; k++)
        {
            var (level, route, key) = assignments[k];
            numbers[key] = numbers.GetValueOrDefault(key) + 1;
            var number = numbers[key].ToString(groupSizes[key] >= 10 ? "D2" : "D1", System.Globalization.CultureInfo.InvariantCulture);
            Units.Add(PlaceUnit(key + number, level, route, statuses[k], options.YearEnd));
        }
    }

    private MetricUnit PlaceUnit(string callSign, PatrolLevel level, MetricRoute route, PatrolUnitStatus status, DateTimeOffset yearEnd)
    {
        var loop = route.Loop;
        var target = _random.Uniform(0, route.Length);
        var k = 1;
        var walked = 0.0;
        while (k < loop.Length - 1 && walked + loop[k].Distance(loop[k - 1]) < target)
        {
            walked += loop[k].Distance(loop[k - 1]);
            k++;
        }
        var (a, b) = (loop[k - 1], loop[k]);
        var t = Math.Clamp((target - walked) / Math.Max(1e-9, a.Distance(b)), 0, 1);
        var position = new Coordinate(a.X + ((b.X - a.X) * t), a.Y + ((b.Y - a.Y) * t));
        var forward = _random.Chance(0.5);
        var heading = forward ? _output.Heading(a, b) : _output.Heading(b, a);

        var moving = status == PatrolUnitStatus.Busy || (status == PatrolUnitStatus.Available && _random.Chance(0.6));
        var speed = !moving ? 0 : route.Mode switch
        {
            PatrolMode.Vehicle => _random.Uniform(6, 15),
            PatrolMode.Bicycle => _random.Uniform(3, 5.5),
            _ => _random.Uniform(1.0, 1.6),
        };
        var secondsAgo = status == PatrolUnitStatus.OffDuty ? _random.Next(20 * 60, 8 * 3600) : _random.Next(5, 120);
        return new MetricUnit(callSign, level, route.Mode, status, route.DistrictCode, position, yearEnd.ToUniversalTime().AddSeconds(-secondsAgo), Math.Round(speed, 1), heading);
    }
}
