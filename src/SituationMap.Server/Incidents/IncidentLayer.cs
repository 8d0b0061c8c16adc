using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Districts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using static SituationMap.Server.Infrastructure.Layers.PropertyRules;

namespace SituationMap.Server.Incidents;

public sealed class IncidentLayer : IFeatureLayer<Incident, IncidentWrite, IncidentProperties>
{
    public static string Name => "incidents";

    public static string Route => "incidents";

    public static string GeometryProperty => nameof(Incident.Location);

    public static GeometryRule GeometryRule => GeometryRule.Point;

    public static string DistrictProperty => nameof(Incident.District);

    public static string WritePermission => Permissions.IncidentsWrite;

    public static Geometry? GeometryOf(Incident e) => e.Location;

    public static void Validate(IncidentWrite w, Incident? existing, ProblemCollector problems)
    {
        RequiredEnum(w.Category, "category", problems);
        Required(w.Severity, "severity", problems, "1 (low) to 4 (critical)");
        Range(w.Severity, "severity", 1, 4, problems);
        Required(w.OccurredAt, "occurred_at", problems, "when it happened, ISO 8601 with an offset");
        NotFuture(w.OccurredAt, "occurred_at", problems);
        NotFuture(w.ReportedAt, "reported_at", problems);
        if (w.OccurredAt is { } o && w.ReportedAt is { } r && r < o)
            problems.Add(At("reported_at"), "is before occurred_at: an incident cannot be reported before it happens.");
        Text(w.Address, "address", 500, problems);
        Text(w.Description, "description", 4000, problems);
        Code(w.District, "district", 32, problems);
        Code(w.Source, "source", 64, problems);
        Text(w.ExternalId, "external_id", 128, problems);
        if (existing is null) return;
        if (w.Source is not null && w.Source != existing.Source) problems.Add(At("source"), "cannot be changed.");
        if (w.ExternalId is not null && w.ExternalId != existing.ExternalId) problems.Add(At("external_id"), "cannot be changed.");
    }

    public static IResult? Conflict(IncidentWrite write, Incident existing) =>
        write.Status is { } to && !IncidentWorkflow.CanMove(existing.Status, to) ? IllegalTransition(existing, to) : null;

    /// <summary>409 naming the current status and the statuses it may move to.</summary>
    public static IResult IllegalTransition(Incident incident, IncidentStatus to)
    {
        var allowed = IncidentWorkflow.AllowedFrom(incident.Status);
        return ApiProblems.Problem(StatusCodes.Status409Conflict, "illegal-transition", "Illegal status transition.",
            $"Incident {incident.Id} is {WireNames.Of(incident.Status)}; it cannot become {WireNames.Of(to)}. Allowed: " +
            (allowed.Count == 0 ? "none (final state)." : string.Join(", ", allowed.Select(WireNames.Of)) + "."),
            new Dictionary<string, object?>
            {
                ["current_status"] = WireNames.Of(incident.Status),
                ["allowed"] = allowed.Select(WireNames.Of).ToArray(),
            });
    }

    public static void Apply(IncidentWrite w, Geometry geometry, Incident e)
    {
        var isNew = e.Id == 0;
        e.Location = (Point)geometry;
        e.Category = w.Category!.Value;
        e.Severity = w.Severity!.Value;
        e.Status = w.Status ?? (isNew ? IncidentStatus.Reported : e.Status);
        e.OccurredAt = w.OccurredAt!.Value;
        e.ReportedAt = w.ReportedAt ?? (isNew ? DateTimeOffset.UtcNow : e.ReportedAt);
        e.Address = w.Address;
        e.District = w.District;
        e.Description = w.Description;
        if (isNew)
        {
            e.Source = w.Source ?? "api";
            e.ExternalId = w.ExternalId;
        }
    }

    public static IncidentProperties ToProperties(Incident e) => new(
        e.Category, e.Severity, e.Status, e.OccurredAt, e.ReportedAt, e.Address, e.District, e.Source, e.ExternalId,
        e.Description, e.Version, e.CreatedAt, e.UpdatedAt);

    public static async Task PrepareAsync(SituationMapDb db, Incident e, ProblemCollector problems, CancellationToken ct) =>
        e.District = await DistrictLookup.ResolveAsync(db, e.District, e.Location, problems, ct);
}
