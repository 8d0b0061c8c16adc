using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.GeoJson;

namespace SituationMap.Server.Patrols;

/// <summary>GET /api/patrols/overview: every route with its units, shift status and validation problems.</summary>
public sealed record PatrolOverview(DateTimeOffset ComputedAt, IReadOnlyList<RouteOverview> Routes);

/// <summary>
/// A route: loop_minutes is one loop at its mode's patrol speed; on_shift_now whether one of its shift windows covers
/// the present (command center's time zone); problems from the route rules (level 1 on car roads, level 3 inside its
/// district, one loop within the shortest shift).
/// </summary>
public sealed record RouteOverview(
    long Id,
    string Name,
    PatrolLevel Level,
    PatrolMode Mode,
    PatrolRouteStatus Status,
    string? District,
    double LengthM,
    double LoopMinutes,
    bool OnShiftNow,
    IReadOnlyList<ShiftWindow> ShiftWindows,
    IReadOnlyList<RouteProblemRow> Problems,
    IReadOnlyList<RouteUnit> Units);

public sealed record RouteProblemRow(string Code, string Message);

/// <summary>A unit assigned to the route: distance_m from its last position to the route; on_route when ≤ 50 m.</summary>
public sealed record RouteUnit(long UnitId, string CallSign, PatrolUnitStatus Status, double? DistanceM, bool? OnRoute);

/// <summary>GET /api/patrols/hotspot-coverage: per level, the share of the current Gi* hot cells within the given minutes
/// of the level's active routes (by each route's mode), and the hot cells no level reaches.</summary>
public sealed record HotspotCoverageResponse(
    DateTimeOffset ComputedAt,
    double Minutes,
    int Days,
    int HotCells,
    IReadOnlyList<LevelCoverage> Levels,
    HotCellCollection Unreached);

public sealed record LevelCoverage(PatrolLevel Level, int Routes, int CellsReached, int TotalCells, double Share, double PriorityShare);

public sealed record HotCellProperties(long Cell, double Z, int Bin);

public sealed record HotCellCollection(IReadOnlyList<Feature<HotCellProperties>> Features)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

/// <summary>GET /api/patrols/dosage: time in hot cells from unit tracks, visits by length, street visibility.</summary>
public sealed record DosageResponse(
    DateTimeOffset From,
    DateTimeOffset To,
    int Units,
    int HotCells,
    double HotSeconds,
    double ShareOfShift,
    IReadOnlyList<CellDosageRow> Cells,
    IReadOnlyList<UnitDosageRow> UnitRows,
    VisibilityResponse Visibility);

public sealed record CellDosageRow(long Cell, double Seconds, int Visits, int ShortVisits, int EffectiveVisits, int LongVisits);

public sealed record UnitDosageRow(long UnitId, string CallSign, double TrackedSeconds, double HotSeconds, double Share);

public sealed record VisibilityResponse(double Rate, double RoadLengthM, double PatrolledLengthM, IReadOnlyList<DistrictVisibilityRow> Districts);

public sealed record DistrictVisibilityRow(string District, string? Name, double RoadLengthM, double PatrolledLengthM, double Rate);

/// <summary>POST /api/patrols/suggest: a unit (its position and mode) or a start [lon, lat] with a mode; the shift length
/// in minutes (default 120) and the dwell per hot cell (default 12, the effective 10–15 minute visit).</summary>
public sealed record SuggestRequest(long? UnitId, double[]? Start, PatrolMode? Mode, double? Minutes, double? DwellMinutes);

public sealed record SuggestResponse(
    PatrolMode Mode,
    double BudgetS,
    double TravelS,
    double DwellS,
    double TotalS,
    double CollectedPriority,
    int Candidates,
    IReadOnlyList<SuggestedStopRow> Stops,
    LineString Geometry,
    IReadOnlyList<long> Unreachable);

public sealed record SuggestedStopRow(long Cell, double Priority, double[] Location, double ArrivalS);

/// <summary>GET /api/patrol-units/{id}/deviation: the unit's track against its assigned route.</summary>
public sealed record DeviationResponse(
    long UnitId,
    long RouteId,
    DateTimeOffset From,
    DateTimeOffset To,
    double ThresholdM,
    double TrackedSeconds,
    double OnRouteSeconds,
    double OffRouteSeconds,
    double ShareOfTrackedOnRoute,
    IReadOnlyList<OffRouteRow> OffRoute,
    double? LastDistanceM);

public sealed record OffRouteRow(DateTimeOffset Start, DateTimeOffset End, double Seconds, double MaxDistanceM);
