using System.Globalization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity;

/// <summary>
/// Streams the incident year day by day. Each day's volume follows season, weekday and noise (the days' counts add
/// up to exactly the requested total); each incident picks a category, then a source (background population,
/// urban villages, fringes, nightlife, stations, roads…), a local hour from the source's or category's daily cycle
/// and a place from the source. A day is sorted by time and handed out before the next one is drawn, so memory
/// stays at one day's incidents. Cost is O(1) per incident apart from a nearest-road lookup for the address.
/// </summary>
internal static class IncidentStream
{
    private static readonly TimeSpan LocalOffset = TimeSpan.FromHours(8);

    public static IEnumerable<DemoIncident> Generate(DemoCityOptions options, DemoCityLayers layers)
    {
        if (options.IncidentCount == 0) yield break;
        var sampler = new IncidentPlaceSampler(options, layers);
        var random = RandomStreams.For(options.Seed, RandomStreams.Incidents);
        var profiles = IncidentProfiles.Categories;
        var sources = Enum.GetValues<IncidentSource>();
        var yearEnd = options.YearEnd.ToUniversalTime();
        var yearStart = yearEnd - TimeSpan.FromDays(365);

        // daily volumes: expected count per category and day, with ±8 % day-to-day noise
        var perDay = new double[365][];
        var dayTotals = new double[365];
        for (var d = 0; d < 365; d++)
        {
            var local = LocalDate(yearStart.AddDays(d));
            var weekday = IsoDay(local);
            perDay[d] = new double[profiles.Count];
            for (var c = 0; c < profiles.Count; c++)
            {
                var sourceMix = 0.0;
                for (var s = 0; s < sources.Length; s++) sourceMix += profiles[c].SourceWeights[s] * IncidentProfiles.WeekdayFactor(sources[s], weekday);
                perDay[d][c] = profiles[c].Share * IncidentProfiles.SeasonalFactor(profiles[c].Category, local) * sourceMix;
            }
            dayTotals[d] = perDay[d].Sum() * Math.Exp(0.08 * random.Gaussian());
        }
        var counts = Apportion.LargestRemainder(options.IncidentCount, dayTotals);

        var hourSamplers = new Dictionary<(int Profile, bool Weekend), WeightedSampler>();
        WeightedSampler Hours(int profile, double[] hours, bool weekend, bool flattenAtWeekend)
        {
            if (!hourSamplers.TryGetValue((profile, weekend), out var s))
            {
                var weights = weekend && flattenAtWeekend
                    ? hours.Select((h, i) => (0.4 * h) + (0.6 * IncidentProfiles.DaytimeHours[i])).ToArray()
                    : hours;
                s = new WeightedSampler(weights);
                hourSamplers[(profile, weekend)] = s;
            }
            return s;
        }

        var sequence = 0;
        var day = new List<Draft>();
        var sourceWeights = new double[sources.Length];
        for (var d = 0; d < 365; d++)
        {
            var dayStart = yearStart.AddDays(d);
            var local = LocalDate(dayStart);
            var weekday = IsoDay(local);
            var weekend = weekday >= 6;
            var localStartSecond = (int)(dayStart.ToOffset(LocalOffset).TimeOfDay.Ticks / TimeSpan.TicksPerSecond);
            day.Clear();
            for (var n = 0; n < counts[d]; n++)
            {
                var c = random.PickWeighted(perDay[d]);
                var profile = profiles[c];
                for (var s = 0; s < sources.Length; s++)
                {
                    sourceWeights[s] = sampler.Has(sources[s]) ? profile.SourceWeights[s] * IncidentProfiles.WeekdayFactor(sources[s], weekday) : 0;
                }
                var source = sourceWeights.Sum() > 0 ? sources[random.PickWeighted(sourceWeights)] : IncidentSource.Background;
                var hourSampler = source switch
                {
                    IncidentSource.Nightlife => Hours(-1, IncidentProfiles.NightlifeHours, weekend, false),
                    IncidentSource.Transit => Hours(-2, IncidentProfiles.TransitHours, weekend, true),
                    _ => Hours(c, profile.Hours, weekend, profile.Category is IncidentCategory.Traffic or IncidentCategory.Fraud),
                };
                var localSecond = (hourSampler.Sample(random) * 3600) + random.Next(3600);
                var offsetSeconds = ((localSecond - localStartSecond) % 86_400 + 86_400) % 86_400;
                var occurred = dayStart.AddSeconds(offsetSeconds);
                var delayMinutes = Math.Clamp(profile.ReportDelayMinutes * Math.Exp(0.7 * random.Gaussian()), 0.5, 360);
                var reported = occurred.AddSeconds(Math.Round(delayMinutes * 60));
                var latest = yearEnd.AddSeconds(-1);
                if (reported > latest) reported = latest < occurred ? occurred : latest;
                var place = sampler.Sample(source, random);
                var severity = 1 + random.PickWeighted(profile.Severity);
                var status = Status(yearEnd - reported, random);
                var template = random.Pick(profile.Templates);
                var where = random.Pick(IncidentProfiles.Places[source]);
                var description = template.Zh.Replace("{p}", where.Zh, StringComparison.Ordinal) + " / " + template.En.Replace("{p}", where.En, StringComparison.Ordinal);
                day.Add(new Draft(occurred.UtcTicks, n, profile.Category, severity, status, occurred, reported, place, description));
            }
            day.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Order.CompareTo(b.Order));
            foreach (var x in day)
            {
                sequence++;
                yield return new DemoIncident(
                    string.Create(CultureInfo.InvariantCulture, $"demo-{sequence:D7}"),
                    x.Category, x.Severity, x.Status, x.OccurredAt, x.ReportedAt, x.Place.Location, x.Place.Address, x.Place.DistrictCode, x.Description);
            }
        }
    }

    /// <summary>Workflow state by the time since the report: the last half hour is still open, the last days are
    /// resolving, anything older is closed (3 % cancelled).</summary>
    private static IncidentStatus Status(TimeSpan age, Random random)
    {
        var u = random.NextDouble();
        if (age < TimeSpan.FromMinutes(30)) return u < 0.4 ? IncidentStatus.Reported : u < 0.8 ? IncidentStatus.Dispatched : IncidentStatus.OnScene;
        if (age < TimeSpan.FromHours(3)) return u < 0.1 ? IncidentStatus.Dispatched : u < 0.5 ? IncidentStatus.OnScene : IncidentStatus.Resolved;
        if (age < TimeSpan.FromHours(24)) return u < 0.7 ? IncidentStatus.Resolved : u < 0.97 ? IncidentStatus.Closed : IncidentStatus.Cancelled;
        if (age < TimeSpan.FromHours(72)) return u < 0.4 ? IncidentStatus.Resolved : u < 0.97 ? IncidentStatus.Closed : IncidentStatus.Cancelled;
        return u < 0.97 ? IncidentStatus.Closed : IncidentStatus.Cancelled;
    }

    private static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(LocalOffset).DateTime);

    private static int IsoDay(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;

    private readonly record struct Draft(long Ticks, int Order, IncidentCategory Category, int Severity, IncidentStatus Status,
        DateTimeOffset OccurredAt, DateTimeOffset ReportedAt, IncidentPlace Place, string Description);
}

internal readonly record struct IncidentPlace(Point Location, string Address, string DistrictCode);

/// <summary>
/// Draws incident locations from the layers (projected back to metres): background cells of 100 m weighted by the
/// population-density surface, uniform points in zones, Gaussian clouds around crowded places and stations, points
/// beside arterials. Every point is inside a district and gets the nearest road's name and a house number.
/// </summary>
internal sealed class IncidentPlaceSampler
{
    private const double CellSize = 100;

    private readonly Wgs84Output _output;
    private readonly AreaIndex _districts;
    private readonly string[] _districtCodes;
    private readonly double _minX;
    private readonly double _minY;
    private readonly int _nx;
    private readonly int[] _cellDistrict;
    private readonly WeightedSampler _background;
    private readonly RoadLocator _roads;
    private readonly DemoRoad[] _roadRecords;
    private readonly double[] _streetOffset;
    private readonly int[] _arterials;
    private readonly WeightedSampler? _arterialSampler;
    private readonly Dictionary<IncidentSource, ZoneSet> _zones = [];

    public IncidentPlaceSampler(DemoCityOptions options, DemoCityLayers layers)
    {
        var form = UrbanForm.Create(options.Seed);
        var projection = form.Projection;
        _output = new Wgs84Output(projection);

        var districtAreas = layers.Districts.Select(d => (Geometry)projection.ToMetric(d.Area)).ToArray();
        _districts = new AreaIndex(districtAreas);
        _districtCodes = layers.Districts.Select(d => d.Code).ToArray();

        var extent = new Envelope();
        foreach (var area in districtAreas) extent.ExpandToInclude(area.EnvelopeInternal);
        _minX = extent.MinX;
        _minY = extent.MinY;
        _nx = (int)Math.Ceiling(extent.Width / CellSize);
        var ny = (int)Math.Ceiling(extent.Height / CellSize);
        _cellDistrict = new int[_nx * ny];
        var weights = new double[_nx * ny];
        for (var gy = 0; gy < ny; gy++)
        {
            for (var gx = 0; gx < _nx; gx++)
            {
                var centre = new Coordinate(_minX + ((gx + 0.5) * CellSize), _minY + ((gy + 0.5) * CellSize));
                var district = _districts.IndexOf(centre);
                _cellDistrict[(gy * _nx) + gx] = district;
                weights[(gy * _nx) + gx] = district >= 0 ? form.Density(centre) : 0;
            }
        }
        _background = new WeightedSampler(weights);

        _roadRecords = [.. layers.Roads];
        var metricRoads = _roadRecords.Select(r => projection.ToMetric(r.Geometry).Coordinates).ToList();
        _roads = new RoadLocator(metricRoads);
        // house numbers run along each street: the offset of every segment from the start of its street
        _streetOffset = new double[_roadRecords.Length];
        var walked = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var r = 0; r < _roadRecords.Length; r++)
        {
            var before = walked.GetValueOrDefault(_roadRecords[r].Name);
            _streetOffset[r] = before;
            walked[_roadRecords[r].Name] = before + _roads.Length(r);
        }
        _arterials = Enumerable.Range(0, _roadRecords.Length)
            .Where(r => _roadRecords[r].Class is "trunk" or "primary" or "secondary").ToArray();
        if (_arterials.Length > 0)
        {
            _arterialSampler = new WeightedSampler(_arterials.Select(r =>
            {
                var mid = metricRoads[r][metricRoads[r].Length / 2];
                return _roads.Length(r) * (0.25 + form.Density(mid)) * (_roadRecords[r].Class == "secondary" ? 0.6 : 1.0);
            }).ToArray());
        }

        ZoneSet? Zones(Func<DemoZone, double> weight, double sigma = 0)
        {
            var picked = layers.Zones.Where(z => weight(z) > 0).ToArray();
            if (picked.Length == 0) return null;
            var areas = picked.Select(z => (Geometry)projection.ToMetric(z.Area)).ToArray();
            return new ZoneSet(areas, new AreaIndex(areas), new WeightedSampler(picked.Select((z, k) => weight(z) * (sigma > 0 ? 1 : areas[k].Area)).ToArray()), sigma);
        }
        void Add(IncidentSource source, ZoneSet? set)
        {
            if (set is not null) _zones[source] = set;
        }
        Add(IncidentSource.UrbanVillage, Zones(z => z.Kind == ZoneKind.UrbanVillage ? 1 : 0));
        Add(IncidentSource.Fringe, Zones(z => z.Kind == ZoneKind.UrbanRuralFringe ? 1 : 0));
        Add(IncidentSource.DisorderArea, Zones(z => z.Kind == ZoneKind.DisorderHotspotArea ? 1 : 0));
        Add(IncidentSource.Community, Zones(z => z.Kind == ZoneKind.ResidentialCommunity ? 1 : 0));
        Add(IncidentSource.Mining, Zones(z => z.Kind == ZoneKind.MiningArea ? 1 : 0));
        Add(IncidentSource.Nightlife, Zones(NightlifeWeight, sigma: 1));
        Add(IncidentSource.Transit, Zones(z => z.NameEn.Contains("Railway Station", StringComparison.Ordinal) ? 2 : z.NameEn.Contains("Bus Station", StringComparison.Ordinal) ? 1 : 0, sigma: 1));
    }

    public bool Has(IncidentSource source) => source switch
    {
        IncidentSource.Background => true,
        IncidentSource.Road => _arterialSampler is not null,
        _ => _zones.ContainsKey(source),
    };

    public IncidentPlace Sample(IncidentSource source, Random random)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var c = attempt < 40 ? Draw(source, random) : DrawBackground(random);
            var hint = CellDistrict(c);
            var district = hint >= 0 && _districts.Contains(hint, c) ? hint : _districts.IndexOf(c);
            if (district >= 0) return Place(c, district);
        }
        // practically unreachable: the centre of a background cell is always inside a district
        var cell = _background.Sample(random);
        var centre = new Coordinate(_minX + ((cell % _nx) + 0.5) * CellSize, _minY + ((cell / _nx) + 0.5) * CellSize);
        return Place(centre, _cellDistrict[cell]);
    }

    private IncidentPlace Place(Coordinate c, int district) => new(_output.Point(c), Address(c), _districtCodes[district]);

    private static double NightlifeWeight(DemoZone zone)
    {
        if (zone.Kind != ZoneKind.CrowdedPublicPlace) return 0;
        var en = zone.NameEn;
        if (en.EndsWith("Night Market", StringComparison.Ordinal)) return 3;
        if (en.EndsWith("Pedestrian Street", StringComparison.Ordinal)) return 2;
        if (en.EndsWith("Square", StringComparison.Ordinal)) return 1.5;
        if (en.EndsWith("Farmers' Market", StringComparison.Ordinal)) return 0.8;
        if (en.EndsWith("Park", StringComparison.Ordinal) || en.EndsWith("Sports Centre", StringComparison.Ordinal)) return 0.7;
        return 1;
    }

    private Coordinate Draw(IncidentSource source, Random random)
    {
        switch (source)
        {
            case IncidentSource.Road when _arterialSampler is not null:
                var road = _arterials[_arterialSampler.Sample(random)];
                var (point, (dx, dy)) = _roads.PointAlong(road, random.NextDouble() * _roads.Length(road));
                var side = 5 * random.Gaussian();
                return new Coordinate(point.X - (dy * side), point.Y + (dx * side));
            case IncidentSource.Background:
                return DrawBackground(random);
            default:
                if (!_zones.TryGetValue(source, out var set)) return DrawBackground(random);
                var k = set.Sampler.Sample(random);
                var area = set.Areas[k];
                if (set.Sigma > 0)
                {
                    // a cloud around the place, wider for bigger places
                    var centre = area.Centroid.Coordinate;
                    var sigma = (0.3 * Math.Sqrt(area.Area)) + 60;
                    return new Coordinate(centre.X + (sigma * random.Gaussian()), centre.Y + (sigma * random.Gaussian()));
                }
                var envelope = area.EnvelopeInternal;
                for (var attempt = 0; attempt < 200; attempt++)
                {
                    var c = new Coordinate(envelope.MinX + (random.NextDouble() * envelope.Width), envelope.MinY + (random.NextDouble() * envelope.Height));
                    if (set.Index.Contains(k, c)) return c;
                }
                return area.InteriorPoint.Coordinate;
        }
    }

    private Coordinate DrawBackground(Random random)
    {
        var cell = _background.Sample(random);
        var gx = cell % _nx;
        var gy = cell / _nx;
        return new Coordinate(_minX + ((gx + random.NextDouble()) * CellSize), _minY + ((gy + random.NextDouble()) * CellSize));
    }

    private int CellDistrict(Coordinate c)
    {
        var gx = (int)Math.Floor((c.X - _minX) / CellSize);
        var gy = (int)Math.Floor((c.Y - _minY) / CellSize);
        return gx < 0 || gy < 0 || gx >= _nx || (gy * _nx) + gx >= _cellDistrict.Length ? -1 : _cellDistrict[(gy * _nx) + gx];
    }

    /// <summary>"&lt;road&gt;&lt;n&gt;号附近 (near No. n &lt;road&gt;)": odd numbers on the left of the street's direction,
    /// even on the right, about one number per 25 m of frontage on each side.</summary>
    private string Address(Coordinate c)
    {
        if (_roads.Nearest(c.X, c.Y) is not { } hit) return "";
        var road = _roadRecords[hit.Road];
        var pair = (int)Math.Floor((_streetOffset[hit.Road] + hit.Along) / 25);
        var number = (2 * pair) + (hit.Side > 0 ? 1 : 2);
        return string.Create(CultureInfo.InvariantCulture, $"{road.Name}{number}号附近 (near No. {number} {road.NameEn})");
    }

    private sealed record ZoneSet(Geometry[] Areas, AreaIndex Index, WeightedSampler Sampler, double Sigma);
}
