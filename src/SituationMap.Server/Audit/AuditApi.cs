using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Audit;

/// <summary>?actor, ?action, ?layer, ?feature_id, ?from, ?to (ISO 8601), ?limit (search: 1-10,000, default 500; export: all rows unless given), ?before (id cursor, newest first).</summary>
public sealed record AuditQuery(
    string? Actor,
    string? Action,
    string? Layer,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "feature_id")] long? FeatureId,
    string? From,
    string? To,
    int? Limit,
    long? Before);

/// <summary>Searching the audit trail, and exporting it as CSV (permission admin; the export itself is audited).</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/audit").WithTags("Administration").RequireAuthorization(Permissions.Admin);
        group.MapGet("/", Search).WithName("SearchAudit").Produces<List<AuditEntry>>().ProducesValidationProblem();
        group.MapGet("/export.csv", ExportCsv).WithName("ExportAudit").Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();
        return group;
    }

    public static async Task<IResult> Search([AsParameters] AuditQuery query, SituationMapDb db, CancellationToken ct)
    {
        var (rows, problem) = Find(query, db, 10_000);
        return problem ?? TypedResults.Json(await rows!.Take(query.Limit ?? 500).ToListAsync(ct), ApiJson.Options);
    }

    /// <summary>
    /// Every matching row (or the newest ?limit of them), streamed: the export is not cut at any size. It covers the
    /// rows that existed when it started (its own audit row, written first, is not among them).
    /// </summary>
    public static async Task<IResult> ExportCsv([AsParameters] AuditQuery query, SituationMapDb db, HttpContext context, CancellationToken ct)
    {
        var (rows, problem) = Find(query, db, int.MaxValue);
        if (problem is not null) return problem;
        var last = await db.Set<AuditEntry>().MaxAsync(r => (long?)r.Id, ct) ?? 0;
        rows = rows!.Where(r => r.Id <= last);
        if (query.Limit is { } limit) rows = rows.Take(limit);
        var count = await rows.CountAsync(ct);
        await AuditContext.RecordExportAsync(db, "audit_log", new { query = context.Request.QueryString.Value, rows = count }, ct);
        return TypedResults.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024);
            await writer.WriteAsync("id,at,actor,account_id,client_ip,action,layer,feature_id,detail,before,after\n");
            await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
            {
                await writer.WriteAsync(string.Join(',', new[] { r.Id.ToString(CultureInfo.InvariantCulture), r.At.ToString("O", CultureInfo.InvariantCulture), r.Actor,
                    r.AccountId?.ToString(CultureInfo.InvariantCulture), r.ClientIp, r.Action, r.Layer, r.FeatureId?.ToString(CultureInfo.InvariantCulture),
                    r.Detail, r.Before, r.After }.Select(Csv)) + "\n");
            }
        }, "text/csv; charset=utf-8", "audit.csv");
    }

    /// <summary>The matching rows, newest first; ?limit is checked against maxLimit (the search's page size cap).</summary>
    private static (IQueryable<AuditEntry>? Rows, IResult? Problem) Find(AuditQuery q, SituationMapDb db, int maxLimit)
    {
        var problems = new ProblemCollector();
        var from = FilterValues.Time(q.From, "from", problems);
        var to = FilterValues.Time(q.To, "to", problems);
        if (q.Limit < 1 || q.Limit > maxLimit)
            problems.Add("?limit", maxLimit == int.MaxValue ? "must be 1 or more." : $"must be between 1 and {maxLimit}.");
        if (problems.Any) return (null, problems.ToResult("The query is invalid."));
        var rows = db.Set<AuditEntry>().AsNoTracking();
        if (q.Actor is not null) rows = rows.Where(r => r.Actor == q.Actor);
        if (q.Action is not null) rows = rows.Where(r => r.Action == q.Action);
        if (q.Layer is not null) rows = rows.Where(r => r.Layer == q.Layer);
        if (q.FeatureId is { } f) rows = rows.Where(r => r.FeatureId == f);
        if (from is { } a) rows = rows.Where(r => r.At >= a);
        if (to is { } b) rows = rows.Where(r => r.At < b);
        if (q.Before is { } before) rows = rows.Where(r => r.Id < before);
        return (rows.OrderByDescending(r => r.Id), null);
    }

    /// <summary>One CSV field (RFC 4180), neutralising spreadsheet formulas (=, +, -, @ at the start).</summary>
    public static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
