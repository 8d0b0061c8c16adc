using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Patrols;

/// <summary>Patrol route properties as written; shift_windows: [{"start":"08:00","end":"20:00","days":[1,2,3,4,5]}].</summary>
public sealed record PatrolRouteWrite(
    string? Name,
    PatrolLevel? Level,
    PatrolMode? Mode,
    string? OwnerUnit,
    List<ShiftWindow>? ShiftWindows,
    PatrolRouteStatus? Status,
    string? District,
    int? Version) : IVersionedWrite;

public sealed record PatrolRouteProperties(
    string Name,
    PatrolLevel Level,
    PatrolMode Mode,
    string? OwnerUnit,
    IReadOnlyList<ShiftWindow> ShiftWindows,
    PatrolRouteStatus Status,
    string? District,
    double LengthM,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>?level (1,2,3), ?mode, ?status, ?district, ?from, ?to (updated_at: routes are plans without a time of their
/// own, so the window selects routes last changed in it).</summary>
public sealed record PatrolRouteFilter(string? Level, string? Mode, string? Status, string? District, string? From = null, string? To = null)
    : IListFilter<PatrolRoute>
{
    private TimeWindow _updated;
    private int[]? _levels;
    private PatrolMode[]? _modes;
    private PatrolRouteStatus[]? _statuses;

    private string[]? _districts;

    public void Validate(ProblemCollector problems)
    {
        _districts = FilterValues.Codes(District, "district", problems);
        _levels = FilterValues.Integers(Level, "level", 1, 3, problems);
        _modes = FilterValues.Enums<PatrolMode>(Mode, "mode", problems);
        _statuses = FilterValues.Enums<PatrolRouteStatus>(Status, "status", problems);
        _updated = FilterValues.TimeWindow(From, To, problems);
    }

    public IQueryable<PatrolRoute> Apply(IQueryable<PatrolRoute> q)
    {
        if (_levels?.Select(l => (PatrolLevel)l).ToArray() is { } l) q = q.Where(r => l.Contains(r.Level));
        if (_modes is { } m) q = q.Where(r => m.Contains(r.Mode));
        if (_statuses is { } s) q = q.Where(r => s.Contains(r.Status));
        if (_districts is { } d) q = q.Where(r => r.District != null && d.Contains(r.District));
        return _updated.Apply(q, r => (DateTimeOffset?)r.UpdatedAt);
    }
}

/// <summary>Patrol unit properties as written; the feature's geometry is the unit's current position.</summary>
public sealed record PatrolUnitWrite(
    string? CallSign,
    PatrolLevel? Level,
    PatrolMode? Mode,
    PatrolUnitStatus? Status,
    string? District,
    DateTimeOffset? LastSeen,
    double? SpeedMps,
    double? HeadingDeg,
    long? RouteId,
    int? Version) : IVersionedWrite;

/// <summary>assigned_incident_id is set by dispatch (POST /api/incidents/{id}/dispatch) and cleared when the unit is released.</summary>
public sealed record PatrolUnitProperties(
    string CallSign,
    PatrolLevel Level,
    PatrolMode Mode,
    PatrolUnitStatus Status,
    string? District,
    DateTimeOffset? LastSeen,
    double? SpeedMps,
    double? HeadingDeg,
    long? RouteId,
    long? AssignedIncidentId,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>?level, ?mode, ?status, ?district, ?from, ?to (last_seen: units last reported in the window; units that never
/// reported match no window).</summary>
public sealed record PatrolUnitFilter(string? Level, string? Mode, string? Status, string? District, string? From = null, string? To = null)
    : IListFilter<PatrolUnit>
{
    private TimeWindow _seen;
    private int[]? _levels;
    private PatrolMode[]? _modes;
    private PatrolUnitStatus[]? _statuses;

    private string[]? _districts;

    public void Validate(ProblemCollector problems)
    {
        _districts = FilterValues.Codes(District, "district", problems);
        _levels = FilterValues.Integers(Level, "level", 1, 3, problems);
        _modes = FilterValues.Enums<PatrolMode>(Mode, "mode", problems);
        _statuses = FilterValues.Enums<PatrolUnitStatus>(Status, "status", problems);
        _seen = FilterValues.TimeWindow(From, To, problems);
    }

    public IQueryable<PatrolUnit> Apply(IQueryable<PatrolUnit> q)
    {
        if (_levels?.Select(l => (PatrolLevel)l).ToArray() is { } l) q = q.Where(u => l.Contains(u.Level));
        if (_modes is { } m) q = q.Where(u => m.Contains(u.Mode));
        if (_statuses is { } s) q = q.Where(u => s.Contains(u.Status));
        if (_districts is { } d) q = q.Where(u => u.District != null && d.Contains(u.District));
        return _seen.Apply(q, u => u.LastSeen);
    }
}

/// <summary>
/// A batch of AVL positions: POST /api/patrol-units/positions {"positions":[{"unit_id":3,"recorded_at":"…Z",
/// "longitude":114.9,"latitude":40.8,"speed_mps":8.2,"heading_deg":90}]}. unit_id or call_sign names the unit.
/// </summary>
public sealed record PositionBatch(List<PositionReport>? Positions);

public sealed record PositionReport(
    long? UnitId,
    string? CallSign,
    DateTimeOffset? RecordedAt,
    double? Longitude,
    double? Latitude,
    double? SpeedMps,
    double? HeadingDeg);

/// <summary>change_seq: the sequence number of the batch's last live event; null when no unit moved (only older
/// reports, which extend tracks but produce no event).</summary>
public sealed record PositionBatchResult(int Accepted, int UnitsMoved, long? ChangeSeq);

/// <summary>A unit's track: its positions in time order.</summary>
public sealed record TrackPointProperties(DateTimeOffset RecordedAt, double? SpeedMps, double? HeadingDeg);

/// <summary>A unit's track over a window: times[i] is the epoch second of the line's vertex i.</summary>
public sealed record UnitTrackProperties(long UnitId, string CallSign, PatrolLevel Level, PatrolMode Mode, long[] Times);
