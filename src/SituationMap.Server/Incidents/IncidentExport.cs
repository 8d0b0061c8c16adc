using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Privacy;
using Endpoints = SituationMap.Server.Infrastructure.Layers.LayerEndpoints<
    SituationMap.Server.Incidents.IncidentLayer, SituationMap.Server.Incidents.Incident,
    SituationMap.Server.Incidents.IncidentWrite, SituationMap.Server.Incidents.IncidentProperties,
    SituationMap.Server.Incidents.IncidentFilter>;

namespace SituationMap.Server.Incidents;

/// <summary>
/// GET /api/incidents/export.csv — the incidents a list would return (same filters, bbox, the account's districts),
/// as CSV with longitude/latitude columns, streamed. Free text is redacted (PersonalDataRedactor) unless
/// ?redact=false. Needs permission export; every export is audited with its query and row count.
/// </summary>
public static class IncidentExport
{
    public const int MaxRows = 1_000_000;

    public static RouteHandlerBuilder MapIncidentExport(this RouteGroupBuilder incidents) =>
        incidents.MapGet("/export.csv", ExportCsv).WithName("ExportIncidentsCsv").RequireAuthorization(Permissions.Export)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();

    public static async Task ExportCsv([AsParameters] IncidentFilter filter, [AsParameters] PageQuery page, bool? redact,
        SituationMapDb db, ClaimsPrincipal user, HttpContext context, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        page.Validate(problems);
        filter.Validate(problems);
        if (problems.Any)
        {
            await problems.ToResult("The query is invalid.").ExecuteAsync(context);
            return;
        }
        var query = filter.Apply(Endpoints.Visible(db, user).AsNoTracking());
        if (page.BboxPolygon() is { } box) query = query.Where(i => i.Location.Intersects(box));
        var rows = query.OrderBy(i => i.Id).Take(MaxRows);
        var redacting = redact ?? true;
        var count = await rows.CountAsync(ct);
        await AuditContext.RecordExportAsync(db, "incidents", new { format = "csv", query = context.Request.QueryString.Value, rows = count, redacted = redacting }, ct);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"incidents.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteLineAsync("id,longitude,latitude,category,severity,status,occurred_at,reported_at,district,address,source,external_id,description");
        await foreach (var i in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            var text = redacting ? PersonalDataRedactor.Redact(i.Description) : i.Description;
            var address = redacting ? PersonalDataRedactor.Redact(i.Address) : i.Address;
            await writer.WriteLineAsync(string.Join(',',
                i.Id.ToString(CultureInfo.InvariantCulture), i.Location.X.ToString("0.#######", CultureInfo.InvariantCulture),
                i.Location.Y.ToString("0.#######", CultureInfo.InvariantCulture), Analysis.Domain.WireNames.Of(i.Category),
                i.Severity.ToString(CultureInfo.InvariantCulture), Analysis.Domain.WireNames.Of(i.Status),
                i.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                i.ReportedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                AuditApi.Csv(i.District), AuditApi.Csv(address), AuditApi.Csv(i.Source), AuditApi.Csv(i.ExternalId), AuditApi.Csv(text)));
        }
    }
}
