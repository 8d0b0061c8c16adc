namespace SituationMap.Server.Situation;

/// <summary>GET /api/situation/summary: the counters now and at the start of the shift (null when no snapshot exists).</summary>
public sealed record SituationSummary(
    DateTimeOffset At,
    DateTimeOffset ShiftStart,
    long ChangeSeq,
    IncidentCounters Incidents,
    Counted<UnitCounts> Units,
    Counted<CameraCounts> Cameras);

public sealed record IncidentCounters(OpenIncidents Open, OpenIncidents? OpenAtShiftStart, int ReportedSinceShiftStart);

/// <summary>Open incidents (reported, dispatched, on_scene) by severity ("1" … "4").</summary>
public sealed record OpenIncidents(int Total, IReadOnlyDictionary<string, int> BySeverity)
{
    public static OpenIncidents Of(int s1, int s2, int s3, int s4) =>
        new(s1 + s2 + s3 + s4, new Dictionary<string, int> { ["1"] = s1, ["2"] = s2, ["3"] = s3, ["4"] = s4 });
}

public sealed record Counted<T>(T Now, T? AtShiftStart) where T : class;

public sealed record UnitCounts(int Available, int Busy, int OffDuty);

public sealed record CameraCounts(int Online, int Offline, int Fault);
