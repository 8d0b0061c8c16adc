using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Incidents;

/// <summary>Properties of an incident as written by clients. status defaults to reported, reported_at to now, source to "api".</summary>
public sealed record IncidentWrite(
    IncidentCategory? Category,
    int? Severity,
    IncidentStatus? Status,
    DateTimeOffset? OccurredAt,
    DateTimeOffset? ReportedAt,
    string? Address,
    string? District,
    string? Source,
    string? ExternalId,
    string? Description,
    int? Version) : IVersionedWrite;

/// <summary>Properties of an incident as served (REST, live events; tiles carry a subset).</summary>
public sealed record IncidentProperties(
    IncidentCategory Category,
    int Severity,
    IncidentStatus Status,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReportedAt,
    string? Address,
    string? District,
    string Source,
    string? ExternalId,
    string? Description,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A status change: POST /api/incidents/{id}/status.</summary>
public sealed record IncidentStatusChange(IncidentStatus? Status, int? Version);

/// <summary>?from, ?to (occurred_at, ISO 8601), ?category, ?severity, ?status, ?district (comma-separated lists).</summary>
public sealed record IncidentFilter(string? From, string? To, string? Category, string? Severity, string? Status, string? District)
    : IListFilter<Incident>
{
    private DateTimeOffset? _from;
    private DateTimeOffset? _to;
    private IncidentCategory[]? _categories;
    private int[]? _severities;
    private IncidentStatus[]? _statuses;

    private string[]? _districts;

    public void Validate(Infrastructure.Problems.ProblemCollector problems)
    {
        _districts = FilterValues.Codes(District, "district", problems);
        _from = FilterValues.Time(From, "from", problems);
        _to = FilterValues.Time(To, "to", problems);
        FilterValues.Window(_from, _to, problems);
        _categories = FilterValues.Enums<IncidentCategory>(Category, "category", problems);
        _severities = FilterValues.Integers(Severity, "severity", 1, 4, problems);
        _statuses = FilterValues.Enums<IncidentStatus>(Status, "status", problems);
    }

    public IQueryable<Incident> Apply(IQueryable<Incident> q)
    {
        if (_from is { } from) q = q.Where(i => i.OccurredAt >= from);
        if (_to is { } to) q = q.Where(i => i.OccurredAt < to);
        if (_categories is { } c) q = q.Where(i => c.Contains(i.Category));
        if (_severities is { } s) q = q.Where(i => s.Contains(i.Severity));
        if (_statuses is { } st) q = q.Where(i => st.Contains(i.Status));
        if (_districts is { } d) q = q.Where(i => i.District != null && d.Contains(i.District));
        return q;
    }
}
