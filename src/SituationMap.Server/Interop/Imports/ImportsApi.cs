using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Interop.Imports;

/// <summary>
/// POST /api/imports (multipart/form-data: <c>options</c> = <see cref="ImportOptions"/> as JSON, <c>file</c> = one or
/// more files; a shapefile's .shp/.shx/.dbf/.prj may be sent as separate parts or zipped) starts an import and answers
/// 202 with its status and Location; <c>?wait=true</c> answers when it has finished. GET /api/imports/{id} shows
/// progress and the result, GET /api/imports/{id}/rejects.csv every rejected row. Importing needs the target layer's
/// write permission; a district-scoped account can only import features inside its districts (others are rejected).
/// Only the account that started an import (or an admin) can see it.
/// </summary>
public static class ImportsApi
{
    public const long MaxUpload = 1L << 30;
    private static readonly string[] Sidecars = [".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml"];

    public static IServiceCollection AddImports(this IServiceCollection services) => services.AddSingleton<ImportJobs>();

    public static RouteGroupBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/imports").WithTags("Imports").RequireAuthorization(Permissions.Read);
        group.MapPost("/", Start).WithName("StartImport")
            .Accepts<ImportUpload>("multipart/form-data")
            .Produces<ImportJobStatus>(StatusCodes.Status202Accepted).Produces<ImportJobStatus>(StatusCodes.Status200OK)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new RequestSizeLimitAttribute(MaxUpload), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxUpload })
            .DisableAntiforgery().RequireRateLimiting(AuthSetup.WriteLimit);
        group.MapGet("/{id}", Status).WithName("GetImport").Produces<ImportJobStatus>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/rejects.csv", Rejects).WithName("GetImportRejects")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<IResult> Start(HttpRequest request, bool? wait, ImportJobs jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type.",
                "Send the import as multipart/form-data with an 'options' field (JSON) and one or more 'file' parts.");
        // an account that may write no importable layer is refused before a byte of the (up to 1 GiB) body is read
        if (!ImportTargets.All.Any(t => user.HasClaim(AccountService.PermissionClaim, t.WritePermission)))
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Forbidden.",
                $"Importing needs the write permission of the layer imported into ({string.Join(", ", ImportTargets.All.Select(t => $"{t.Layer}: {t.WritePermission}"))}).");
        var form = await request.ReadFormAsync(ct);
        var problems = new ProblemCollector();
        ImportOptions? options = null;
        try
        {
            options = form["options"] is { Count: > 0 } text ? JsonSerializer.Deserialize<ImportOptions>(text.ToString(), ApiJson.Options) : null;
            if (options is null) problems.Add("/options", "send the import options as JSON in the form field 'options' (at least {\"layer\": \"incidents\"}).");
        }
        catch (JsonException e)
        {
            problems.Add("/options" + (e.Path is { Length: > 1 } p ? "/" + p[2..].Replace('.', '/') : ""), "is not valid: " + e.Message.Split(" Path:")[0]);
        }
        if (form.Files.Count == 0) problems.Add("/files", "send one or more files in 'file' parts.");
        var target = ImportTargets.Find(options?.Layer);
        if (options is not null && target is null) problems.Add("/options/layer", $"must be one of: {ImportTargets.Names}.");
        if (problems.Any) return problems.ToResult("The import cannot start.");
        if (!user.HasClaim(AccountService.PermissionClaim, target!.WritePermission))
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Forbidden.",
                $"Importing into {target.Layer} needs the permission {target.WritePermission}.");

        var folder = Path.Combine(Path.GetTempPath(), "situationmap-imports", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var files = new List<ImportFile>();
        foreach (var part in form.Files)
        {
            var name = SafeName(part.FileName);
            var path = Path.Combine(folder, name);
            await using (var stream = File.Create(path)) await part.CopyToAsync(stream, ct);
            if (!Sidecars.Contains(Path.GetExtension(name).ToLowerInvariant())) files.Add(new ImportFile(path, name));
        }
        var job = jobs.Start(folder, files, options!, UserScope.Of(user), AuditActor.Current(request.HttpContext));
        if (wait == true)
        {
            await job.Finished.Task.WaitAsync(ct);
            return TypedResults.Json(job.Status(), ApiJson.Options);
        }
        request.HttpContext.Response.Headers.Location = $"/api/imports/{job.Id}";
        return TypedResults.Json(job.Status(), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public static IResult Status(string id, ImportJobs jobs, ClaimsPrincipal user) =>
        Visible(id, jobs, user) is { } job ? TypedResults.Json(job.Status(), ApiJson.Options) : NotFound(id);

    public static async Task Rejects(string id, ImportJobs jobs, ClaimsPrincipal user, HttpContext context)
    {
        if (Visible(id, jobs, user) is not { Report: { } report })
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"import-{id}-rejects.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false));
        await ImportRejectsCsv.WriteAsync(writer, report.Rejects);
    }

    private static ImportJobs.Job? Visible(string id, ImportJobs jobs, ClaimsPrincipal user)
    {
        var job = jobs.Find(id);
        if (job is null) return null;
        var accountId = long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var a) ? a : (long?)null;
        return job.AccountId == accountId || user.HasClaim(AccountService.PermissionClaim, Permissions.Admin) ? job : null;
    }

    private static IResult NotFound(string id) => ApiProblems.Problem(StatusCodes.Status404NotFound, "not-found", "Not found.",
        $"There is no import '{(id.Length > 40 ? id[..40] + "…" : id)}' of yours; imports are kept for {ImportJobs.KeepFor.TotalHours:0} hours after they finish.");

    /// <summary>The upload's file name without any folder part or characters a file system would mind.</summary>
    private static string SafeName(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        var safe = new string(file.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).TrimStart('.');
        return safe.Length == 0 ? "upload" : safe;
    }
}

/// <summary>The multipart form of POST /api/imports, for the OpenAPI document.</summary>
public sealed record ImportUpload(string Options, IFormFileCollection File);
