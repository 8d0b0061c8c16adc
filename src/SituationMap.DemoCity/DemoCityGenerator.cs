using SituationMap.Analysis.Domain;

namespace SituationMap.DemoCity;

/// <summary>
/// The deterministic synthetic demo city near 114.9°E 40.8°N (Zhangjiakou area, UTM zone 50N). Every name, road,
/// camera and incident is invented. The same options always give the same city; each layer draws from its own
/// seeded random stream, so changing the incident count leaves all other layers unchanged.
/// </summary>
public static class DemoCityGenerator
{
    /// <summary>Builds districts, roads, zones, cameras, patrol routes and units, and the building footprints
    /// (<see cref="DemoCityLayers.Buildings"/>). Costs about a second and a half.</summary>
    public static DemoCityLayers GenerateLayers(DemoCityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        return MetricCity.Build(options).ToLayers();
    }

    /// <summary>
    /// Streams <see cref="DemoCityOptions.IncidentCount"/> incidents over the 365 days before
    /// <see cref="DemoCityOptions.YearEnd"/> in ascending <see cref="DemoIncident.OccurredAt"/> order. Only one day of
    /// incidents is held in memory at a time; deterministic for the same options and layers.
    /// </summary>
    public static IEnumerable<DemoIncident> GenerateIncidents(DemoCityOptions options, DemoCityLayers layers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layers);
        Validate(options);
        return IncidentStream.Generate(options, layers);
    }

    /// <summary>
    /// Track points for every unit over <paramref name="history"/> before its last sighting, one per
    /// <paramref name="interval"/>, in time order per unit. Each unit patrols the nearest route of its level and mode.
    /// </summary>
    public static IEnumerable<DemoTrackPoint> GenerateTracks(DemoCityLayers layers, TimeSpan history, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "The interval must be positive.");
        return TrackPlan.Generate(layers, history, interval);
    }

    private static void Validate(DemoCityOptions options)
    {
        if (options.IncidentCount < 0) throw new ArgumentOutOfRangeException(nameof(options), options.IncidentCount, "IncidentCount must not be negative.");
        if (options.CameraCount < 0) throw new ArgumentOutOfRangeException(nameof(options), options.CameraCount, "CameraCount must not be negative.");
        if (options.PatrolUnitCount < 0) throw new ArgumentOutOfRangeException(nameof(options), options.PatrolUnitCount, "PatrolUnitCount must not be negative.");
    }
}

/// <summary>The whole city in metres, before conversion to WGS84 records.</summary>
internal sealed class MetricCity
{
    private MetricCity(UrbanForm form, StreetGrid grid, DistrictPlan districts, List<MetricZone> zones, List<MetricCamera> cameras, PatrolPlan patrols,
        List<MetricBuilding> buildings, Wgs84Output output)
    {
        Buildings = buildings;
        Form = form;
        Grid = grid;
        Districts = districts;
        Zones = zones;
        Cameras = cameras;
        Patrols = patrols;
        Output = output;
    }

    public UrbanForm Form { get; }

    public StreetGrid Grid { get; }

    public DistrictPlan Districts { get; }

    public List<MetricZone> Zones { get; }

    public List<MetricCamera> Cameras { get; }

    public PatrolPlan Patrols { get; }

    public List<MetricBuilding> Buildings { get; }

    public Wgs84Output Output { get; }

    public static MetricCity Build(DemoCityOptions options)
    {
        var form = UrbanForm.Create(options.Seed);
        var output = new Wgs84Output(form.Projection);
        var zoneRandom = RandomStreams.For(options.Seed, RandomStreams.Zones);
        var villages = ZonePlan.UrbanVillages(form, zoneRandom);
        var grid = StreetGrid.Build(form, villages.Select(v => (NetTopologySuite.Geometries.Polygon)v.Area).ToList(), RandomStreams.For(options.Seed, RandomStreams.Streets));
        var districts = DistrictPlan.Build(form, grid, RandomStreams.For(options.Seed, RandomStreams.Districts));
        var zones = ZonePlan.Build(form, grid, villages, zoneRandom);
        var roads = new RoadLocator(grid.Roads.Select(r => r.Coordinates).ToList());
        var cameras = CameraPlan.Build(form, grid, districts, zones, roads, output, options, RandomStreams.For(options.Seed, RandomStreams.Cameras));
        var patrols = PatrolPlan.Build(form, grid, districts, output, options, RandomStreams.For(options.Seed, RandomStreams.Patrols));
        var buildings = BuildingPlan.Build(form, grid, districts, zones, cameras, RandomStreams.For(options.Seed, RandomStreams.Buildings));
        return new MetricCity(form, grid, districts, zones, cameras, patrols, buildings, output);
    }

    public DemoCityLayers ToLayers()
    {
        var o = Output;
        var districts = Districts.Districts.Select(d => new DemoDistrict(d.Code, d.Name, d.NameEn, o.Area(d.Area))).ToList();
        var roads = Grid.Roads.Select(r => new DemoRoad(r.Name, r.NameEn, r.Class.OsmHighway(), r.OneWay, r.Class.MaxSpeedKmh(), o.Line(r.Coordinates))).ToList();
        var zones = Zones.Select(z => new DemoZone(z.Name, z.NameEn, z.Kind, z.RiskLevel, CoverageTargets.DefaultFor(z.Kind),
            (Districts.At(z.Centre) ?? Districts.At(z.Area.InteriorPoint.Coordinate))?.Code, o.Area(z.Area))).ToList();
        var cameras = Cameras.Select((c, k) => new DemoCamera(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CAM-{k + 1:D4} {c.RoadName}"),
            o.Point(c.Location), c.Kind, c.HeadingDeg, c.FieldOfViewDeg, c.RangeM, c.MountingHeightM, c.Status,
            c.PrivacyMask is null ? null : o.Area(c.PrivacyMask), c.InstalledAt, c.OwnerUnit, c.DistrictCode)).ToList();
        var routes = Patrols.Routes.Select(r => new DemoPatrolRoute(r.Name, r.Level, r.Mode, r.OwnerUnit, r.Shifts, r.Status, r.DistrictCode, o.Lines([r.Loop]))).ToList();
        var units = Patrols.Units.Select(u => new DemoPatrolUnit(u.CallSign, u.Level, u.Mode, u.Status, u.DistrictCode, o.Point(u.Position), u.LastSeen, u.SpeedMps, u.HeadingDeg)).ToList();
        var buildings = Buildings.Select((b, k) => new DemoBuilding(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"B{k + 1:D6}"), b.Kind, b.Levels, b.HeightM, b.DistrictCode, o.Polygon(b.Footprint))).ToList();
        return new DemoCityLayers(districts, roads, zones, cameras, routes, units) { Buildings = buildings };
    }
}
