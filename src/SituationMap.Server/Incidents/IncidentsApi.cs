using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using Endpoints = SituationMap.Server.Infrastructure.Layers.LayerEndpoints<
    SituationMap.Server.Incidents.IncidentLayer, SituationMap.Server.Incidents.Incident,
    SituationMap.Server.Incidents.IncidentWrite, SituationMap.Server.Incidents.IncidentProperties,
    SituationMap.Server.Incidents.IncidentFilter>;

namespace SituationMap.Server.Incidents;

public static class IncidentsApi
{
    public static RouteGroupBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var group = Endpoints.Map(app, "Incidents");
        group.MapIncidentExport();
        Endpoints.Write(group.MapPost("/{id:long}/status", ChangeStatus).WithName("ChangeIncidentStatus"))
            .Accepts<IncidentStatusChange>("application/json")
            .Produces<Feature<IncidentProperties>>(StatusCodes.Status200OK, Endpoints.GeoJson)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        Endpoints.Write(group.MapPut("/external/{source}/{externalId}", UpsertExternal).WithName("UpsertIncidentByExternalId"))
            .Accepts<FeatureRequest<IncidentWrite>>(Endpoints.GeoJson, "application/json")
            .Produces<Feature<IncidentProperties>>(StatusCodes.Status200OK, Endpoints.GeoJson)
            .Produces<Feature<IncidentProperties>>(StatusCodes.Status201Created, Endpoints.GeoJson)
            .ProducesValidationProblem();
        return group;
    }

    /// <summary>Moves an incident through its workflow; an illegal transition is a 409 that lists the allowed ones.</summary>
    public static async Task<IResult> ChangeStatus(long id, HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var (json, problem) = await FeatureReader.ReadJsonAsync(request, ct);
        if (problem is not null) return problem;
        var problems = new ProblemCollector();
        using (json)
        {
            var change = FeatureReader.BindObject<IncidentStatusChange>(json!.RootElement, "", problems);
            if (change?.Status is not { } status)
            {
                if (!problems.Any) PropertyRules.RequiredEnum(change?.Status, "status", problems);
                return problems.ToResult();
            }
            var incident = await Endpoints.Visible(db, user).FirstOrDefaultAsync(i => i.Id == id, ct);
            if (incident is null) return ApiProblems.NotFound(IncidentLayer.Name, id);
            if (Endpoints.CheckVersion(incident, Preconditions.IfMatchVersion(request), change.Version) is { } stale) return stale;
            if (!IncidentWorkflow.CanMove(incident.Status, status)) return IncidentLayer.IllegalTransition(incident, status);
            db.Entry(incident).Property(i => i.Version).OriginalValue = incident.Version;
            incident.Status = status;
            return await Endpoints.CommitAsync(db, incident, request.HttpContext.Response, StatusCodes.Status200OK, ct);
        }
    }

    /// <summary>
    /// Idempotent ingest from another system: creates the incident (source, external id) or replaces it. The source
    /// system is authoritative, so no version is needed; illegal status transitions are still refused.
    /// </summary>
    /// <summary>
    /// Routing decodes every escape of a route value except %2F (and so cannot tell "%2F" sent as %252F from an
    /// escaped '/'): the two ids are the last two segments of the raw target, each decoded once.
    /// </summary>
    private static (string Source, string ExternalId)? ExternalIdFromRawPath(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw)) return null;
        var path = raw.Split('?', 2)[0].Split('/');
        return path.Length < 2 ? null : (Uri.UnescapeDataString(path[^2]), Uri.UnescapeDataString(path[^1]));
    }

    public static async Task<IResult> UpsertExternal(string source, string externalId, HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        (source, externalId) = ExternalIdFromRawPath(request) ?? (source, externalId);
        var (input, problem) = await FeatureReader.ReadAsync<IncidentWrite>(request, IncidentLayer.GeometryRule, ct);
        if (problem is not null) return problem;
        var problems = new ProblemCollector();
        PropertyRules.Code(source, "source", 64, problems);
        PropertyRules.Text(externalId, "external_id", 128, problems);
        if (problems.Any) return problems.ToResult();
        var write = input!.Properties with { Source = source, ExternalId = externalId };
        var existing = await db.Incidents.FirstOrDefaultAsync(i => i.Source == source && i.ExternalId == externalId, ct);
        // an incident of another district is answered like one that does not exist: nothing about it leaks
        if (existing is not null && !UserScope.Of(user).Allows(existing.District))
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "not-found", "Not found.", $"There is no incident from source '{source}' with external id '{externalId}'.");
        var response = request.HttpContext.Response;
        return existing is null
            ? await Endpoints.SaveAsync(db, user, new Incident(), input with { Properties = write }, null, response, StatusCodes.Status201Created, ct)
            : await Endpoints.SaveAsync(db, user, existing, input with { Properties = write }, existing, response, StatusCodes.Status200OK, ct);
    }
}
