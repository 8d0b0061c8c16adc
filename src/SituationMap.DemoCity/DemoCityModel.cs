using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;

namespace SituationMap.DemoCity;

// The synthetic demo city as plain records. All geometries are WGS84 (SRID 4326, x = longitude, y = latitude).
// Codes (district codes, owner units) are stable across runs; ids are assigned by the database when loaded.

/// <summary>An administrative district (aggregation unit). Code is short and stable, e.g. "QD".</summary>
public sealed record DemoDistrict(string Code, string Name, string NameEn, MultiPolygon Area);

/// <summary>A road segment between two junctions. Class is the OpenStreetMap highway value (primary, secondary, residential…).</summary>
public sealed record DemoRoad(string Name, string NameEn, string Class, bool OneWay, int MaxSpeedKmh, LineString Geometry)
{
    /// <summary>Width of the road surface (carriageways and sidewalks) in metres, by class: trunk 40, primary 30,
    /// secondary 24, tertiary 16, residential 10. Buildings stand clear of the centreline buffered by half of it.</summary>
    public double WidthM => RoadClasses.FromOsmHighway(Class).WidthM();
}

public sealed record DemoZone(
    string Name,
    string NameEn,
    ZoneKind Kind,
    int RiskLevel,
    double? CoverageTarget,
    string? DistrictCode,
    MultiPolygon Area);

public sealed record DemoCamera(
    string Name,
    Point Location,
    CameraKind Kind,
    double HeadingDeg,
    double FieldOfViewDeg,
    double RangeM,
    double MountingHeightM,
    CameraStatus Status,
    MultiPolygon? PrivacyMasks,
    DateTimeOffset InstalledAt,
    string OwnerUnit,
    string? DistrictCode);

public sealed record DemoPatrolRoute(
    string Name,
    PatrolLevel Level,
    PatrolMode Mode,
    string OwnerUnit,
    IReadOnlyList<ShiftWindow> Shifts,
    PatrolRouteStatus Status,
    string? DistrictCode,
    MultiLineString Geometry);

public sealed record DemoPatrolUnit(
    string CallSign,
    PatrolLevel Level,
    PatrolMode Mode,
    PatrolUnitStatus Status,
    string? DistrictCode,
    Point Position,
    DateTimeOffset LastSeen,
    double SpeedMps,
    double HeadingDeg);

public sealed record DemoIncident(
    string ExternalId,
    IncidentCategory Category,
    int Severity,
    IncidentStatus Status,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReportedAt,
    Point Location,
    string Address,
    string? DistrictCode,
    string Description);

/// <summary>What a building is used for (OpenStreetMap <c>building</c> values; <see cref="Other"/> for sheds, pavilions,
/// barns and the like).</summary>
public enum BuildingKind
{
    Residential,
    Commercial,
    Industrial,
    Public,
    Other,
}

/// <summary>
/// A building footprint (a Polygon; perimeter blocks have their courtyard as a hole). <see cref="Id"/> is stable for a
/// seed (<c>B000001</c>…), <see cref="Levels"/> counts floors above ground, <see cref="HeightM"/> is the roof height
/// above ground in metres, <see cref="DistrictCode"/> is the district containing the footprint's centroid.
/// </summary>
public sealed record DemoBuilding(string Id, BuildingKind Kind, int Levels, double HeightM, string? DistrictCode, Polygon Footprint);

/// <summary>One AVL position of a patrol unit's history.</summary>
public sealed record DemoTrackPoint(string CallSign, DateTimeOffset RecordedAt, Point Location, double SpeedMps, double HeadingDeg);

/// <summary>Everything but the incidents, which are streamed (there can be millions).</summary>
public sealed record DemoCityLayers(
    IReadOnlyList<DemoDistrict> Districts,
    IReadOnlyList<DemoRoad> Roads,
    IReadOnlyList<DemoZone> Zones,
    IReadOnlyList<DemoCamera> Cameras,
    IReadOnlyList<DemoPatrolRoute> PatrolRoutes,
    IReadOnlyList<DemoPatrolUnit> PatrolUnits)
{
    /// <summary>Building footprints in the blocks between the roads (26,281 for the default options; empty when the
    /// layers were built by hand). Drawn from their own random stream, so they leave every other layer unchanged.</summary>
    public IReadOnlyList<DemoBuilding> Buildings { get; init; } = [];
}

/// <summary>Generator settings. The same options always give the same city, byte for byte.</summary>
public sealed record DemoCityOptions
{
    /// <summary>The fixed seed checked in with the generator.</summary>
    public const int DefaultSeed = 20261125;

    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Number of incidents over the year (about 100,000 for the demo; 1,000,000 for benchmarks).</summary>
    public int IncidentCount { get; init; } = 100_000;

    /// <summary>The year of incidents ends here (exclusive). Loading uses the current UTC day so the demo is recent.</summary>
    public DateTimeOffset YearEnd { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public int CameraCount { get; init; } = 1_500;

    public int PatrolUnitCount { get; init; } = 60;
}
