namespace SituationMap.Server.Situation;

/// <summary>GET /api/situation/summary: the counters now and at the start of the shift (from the snapshot of that
/// time, else rebuilt from history; null where neither can tell — <see cref="Baseline"/> says which).</summary>
public sealed record SituationSummary(
    DateTimeOffset At,
    DateTimeOffset ShiftStart,
    long ChangeSeq,
    IncidentCounters Incidents,
    Counted<UnitCounts> Units,
    Counted<CameraCounts> Cameras,
    SituationBaseline Baseline);

/// <summary>Where each shift-start value comes from: "snapshot" (taken by the server at that time), "history" (rebuilt
/// from the audit trail / camera status history) or "none" (no baseline: the layer was bulk-loaded or imported since,
/// which leaves no per-row history; its at_shift_start is null).</summary>
public sealed record SituationBaseline(string Incidents, string Units, string Cameras)
{
    public const string Snapshot = "snapshot";
    public const string History = "history";
    public const string None = "none";
}

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
