using SituationMap.Analysis.Domain;

namespace SituationMap.Server.Incidents;

/// <summary>
/// The incident status workflow. Forward: reported → dispatched → on_scene → resolved → closed. Shortcuts that real
/// operations need: reported → on_scene (a patrol comes upon it), reported/dispatched → resolved (handled by phone),
/// dispatched → reported (unit recalled), resolved → on_scene (reopened). cancelled is reachable from reported,
/// dispatched and on_scene. closed and cancelled are final.
/// </summary>
public static class IncidentWorkflow
{
    private static readonly Dictionary<IncidentStatus, IncidentStatus[]> Next = new()
    {
        [IncidentStatus.Reported] = [IncidentStatus.Dispatched, IncidentStatus.OnScene, IncidentStatus.Resolved, IncidentStatus.Cancelled],
        [IncidentStatus.Dispatched] = [IncidentStatus.OnScene, IncidentStatus.Resolved, IncidentStatus.Reported, IncidentStatus.Cancelled],
        [IncidentStatus.OnScene] = [IncidentStatus.Resolved, IncidentStatus.Cancelled],
        [IncidentStatus.Resolved] = [IncidentStatus.Closed, IncidentStatus.OnScene],
        [IncidentStatus.Closed] = [],
        [IncidentStatus.Cancelled] = [],
    };

    public static bool CanMove(IncidentStatus from, IncidentStatus to) => from == to || Next[from].Contains(to);

    public static IReadOnlyList<IncidentStatus> AllowedFrom(IncidentStatus from) => Next[from];

    /// <summary>Open incidents still need attention (counters, dispatch).</summary>
    public static bool IsOpen(IncidentStatus s) => s is IncidentStatus.Reported or IncidentStatus.Dispatched or IncidentStatus.OnScene;
}
