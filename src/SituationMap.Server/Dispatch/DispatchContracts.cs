using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;

namespace SituationMap.Server.Dispatch;

/// <summary>
/// An available unit as a candidate for an incident. eta_s and distance_m are by road from the unit's last known
/// position at its mode's speeds (free flow); route is the road route (GeoJSON LineString, WGS84) for the first
/// ranked units. unreachable says why a unit has no ETA (no position, too far from any road, no road route).
/// position_age_s: seconds since the unit last reported.
/// </summary>
public sealed record DispatchCandidate(
    long UnitId,
    string CallSign,
    PatrolLevel Level,
    PatrolMode Mode,
    string? District,
    int Version,
    double? PositionAgeS,
    double? EtaS,
    double? DistanceM,
    string? Unreachable,
    LineString? Route);

/// <summary>GET /api/incidents/{id}/dispatch: available units ranked by ETA (ascending), then those without one.</summary>
public sealed record DispatchOptionsResponse(
    long IncidentId,
    IncidentStatus IncidentStatus,
    int IncidentVersion,
    Point Location,
    DateTimeOffset ComputedAt,
    IReadOnlyList<DispatchCandidate> Candidates,
    IReadOnlyList<DispatchCandidate> Unranked,
    IReadOnlyList<AssignedUnit> Assigned);

/// <summary>A unit already dispatched to the incident (open dispatch).</summary>
public sealed record AssignedUnit(long UnitId, string CallSign, DateTimeOffset AssignedAt, string Actor, double? EtaS, DateTimeOffset? ArrivedAt);

/// <summary>POST /api/incidents/{id}/dispatch {"unit_id": 12}.</summary>
public sealed record DispatchRequest(long? UnitId);

/// <summary>The assignment made: the unit is busy and assigned, the incident dispatched (unless it was already further on).</summary>
public sealed record DispatchResult(
    long DispatchId,
    long IncidentId,
    IncidentStatus IncidentStatus,
    int IncidentVersion,
    long UnitId,
    string CallSign,
    int UnitVersion,
    DateTimeOffset AssignedAt,
    double? EtaS,
    double? DistanceM,
    LineString? Route,
    long ChangeSeq);

/// <summary>POST /api/routing/route: a road route through the waypoints ([longitude, latitude] each) by the mode.</summary>
public sealed record RouteRequest(PatrolMode? Mode, List<double[]>? Waypoints, bool? Loop);

/// <summary>The route: its line (WGS84), seconds and metres, each leg's, and where each waypoint was snapped.</summary>
public sealed record RouteResponse(PatrolMode Mode, LineString Geometry, double Seconds, double LengthM, IReadOnlyList<RouteLeg> Legs, IReadOnlyList<double[]> Snapped);

public sealed record RouteLeg(double Seconds, double LengthM);
