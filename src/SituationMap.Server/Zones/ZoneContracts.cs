using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Zones;

/// <summary>Zone properties as written; coverage_target defaults by kind (key facility 1.0, crowded place 0.8, residential 0.7…).</summary>
public sealed record ZoneWrite(
    string? Name,
    string? NameEn,
    ZoneKind? Kind,
    int? RiskLevel,
    double? CoverageTarget,
    string? District,
    int? Version) : IVersionedWrite;

public sealed record ZoneProperties(
    string Name,
    string? NameEn,
    ZoneKind Kind,
    int RiskLevel,
    double? CoverageTarget,
    string? District,
    double AreaM2,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>?kind, ?risk_level (1-4 list), ?district, ?from, ?to (updated_at: zones last changed in the window).</summary>
public sealed record ZoneFilter(string? Kind, [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "risk_level")] string? RiskLevel, string? District,
    string? From = null, string? To = null)
    : IListFilter<Zone>
{
    private TimeWindow _updated;
    private ZoneKind[]? _kinds;
    private int[]? _risks;

    private string[]? _districts;

    public void Validate(ProblemCollector problems)
    {
        _districts = FilterValues.Codes(District, "district", problems);
        _kinds = FilterValues.Enums<ZoneKind>(Kind, "kind", problems);
        _risks = FilterValues.Integers(RiskLevel, "risk_level", 1, 4, problems);
        _updated = FilterValues.TimeWindow(From, To, problems);
    }

    public IQueryable<Zone> Apply(IQueryable<Zone> q)
    {
        if (_kinds is { } k) q = q.Where(z => k.Contains(z.Kind));
        if (_risks is { } r) q = q.Where(z => r.Contains(z.RiskLevel));
        if (_districts is { } d) q = q.Where(z => z.District != null && d.Contains(z.District));
        return _updated.Apply(q, z => (DateTimeOffset?)z.UpdatedAt);
    }
}
