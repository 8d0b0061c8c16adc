using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Situation;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>?bbox, ?width, ?height, ?layers, ?from, ?to, ?category and ?theme of GET /api/exports/map.png.</summary>
public sealed record MapExportQuery(string? Bbox, string? Width, string? Height, string? Layers, string? From, string? To, string? Category, string? Theme)
{
    public const int DefaultWidth = 1280;
    public const int DefaultHeight = 800;

    /// <summary>The view, or null with the problems named by parameter. Without ?from/?to: the last 24 hours (the dashboard's default window).</summary>
    public MapView? ToView(DateTimeOffset now, ProblemCollector problems)
    {
        var box = MapView.ParseBbox(Bbox, problems);
        var width = Side(Width, DefaultWidth, "width", problems);
        var height = Side(Height, DefaultHeight, "height", problems);
        var layers = MapView.ParseLayers(Layers, problems);
        var from = FilterValues.Time(From, "from", problems);
        var to = FilterValues.Time(To, "to", problems);
        FilterValues.Window(from, to, problems);
        var categories = FilterValues.Enums<IncidentCategory>(Category, "category", problems);
        if (Theme is not null and not "night" and not "paper") problems.Add("?theme", "must be 'night' (the dashboard's) or 'paper' (light, for print).");
        if (problems.Any || box is null) return null;
        var end = to ?? now;
        return new MapView(box, width, height, layers, from ?? end.AddHours(-24), end, categories);
    }

    public MapTheme MapTheme => Theme == "paper" ? MapTheme.Paper : MapTheme.Night;

    private static int Side(string? raw, int fallback, string name, ProblemCollector problems)
    {
        if (raw is null) return fallback;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            problems.Add("?" + name, $"must be a whole number of pixels between 16 and {MapView.MaxSide}.");
            return fallback;
        }
        return MapView.ParseSide(value, fallback, name, problems);
    }
}

/// <summary>?bbox (default: the account's districts) and ?hours (1 … 168, default 12 = a shift) of GET /api/exports/brief.pdf.</summary>
public sealed record BriefQuery(string? Bbox, string? Hours)
{
    public const int DefaultHours = 12;
    public const int MaxHours = 168;

    public int ParseHours(ProblemCollector problems)
    {
        if (Hours is null) return DefaultHours;
        if (int.TryParse(Hours, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h is >= 1 and <= MaxHours) return h;
        problems.Add("?hours", $"must be a whole number of hours between 1 and {MaxHours}.");
        return DefaultHours;
    }
}

/// <summary>
/// Rendered exports: GET /api/exports/map.png (the map of a box as a PNG, drawn on the server with SkiaSharp) and
/// GET /api/exports/brief.pdf (a one-page situation brief for the shift hand-over). Both need permission export, show
/// only the account's districts (UserScope, as the tiles do) and are audited (action export, layer map | brief).
/// </summary>
public static class RenderedExportsApi
{
    public static IServiceCollection AddRenderedExports(this IServiceCollection services)
    {
        services.AddSingleton<MapSceneReader>();
        services.AddSingleton<SituationBriefReader>();
        return services;
    }

    public static RouteGroupBuilder MapRenderedExportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/exports").WithTags("Exports").RequireAuthorization(Permissions.Export);
        group.MapGet("/map.png", MapPng).WithName("ExportMapPng")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/brief.pdf", BriefPdf).WithName("ExportSituationBriefPdf")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    /// <summary>The map of ?bbox at ?width × ?height (≤ 4096 px, default 1280 × 800) with ?layers, incidents of ?from–?to and ?category.</summary>
    public static async Task<IResult> MapPng([AsParameters] MapExportQuery query, MapSceneReader maps, SituationMapDb db, IOptions<SituationOptions> options,
        TimeProvider clock, ClaimsPrincipal user, HttpRequest request, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var view = query.ToView(clock.GetUtcNow(), problems);
        if (view is null) return problems.ToResult("The query is invalid.");
        var started = Stopwatch.GetTimestamp();
        var scene = await maps.ReadAsync(view, UserScope.Of(user), ct);
        var read = Stopwatch.GetElapsedTime(started);
        var png = MapRenderer.RenderPng(scene, new MapStyle(query.MapTheme, Zone(options)));
        await AuditContext.RecordExportAsync(db, "map", new
        {
            format = "png",
            query = request.QueryString.Value,
            width = view.Width,
            height = view.Height,
            incidents = scene.IncidentCount,
            ms = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            read_ms = (int)read.TotalMilliseconds,
        }, ct);
        return TypedResults.File(png, "image/png", "situationmap-map.png");
    }

    /// <summary>The brief of the last ?hours for the account's scope, with the map of ?bbox (default: the scope's districts).</summary>
    public static async Task<IResult> BriefPdf([AsParameters] BriefQuery query, SituationBriefReader briefs, SituationMapDb db, IOptions<SituationOptions> options,
        TimeProvider clock, ClaimsPrincipal user, HttpRequest request, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var hours = query.ParseHours(problems);
        var scope = UserScope.Of(user);
        var box = query.Bbox is null ? null : MapView.ParseBbox(query.Bbox, problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        box ??= await briefs.DistrictExtentAsync(scope, ct);
        if (box is null || box.Width <= 0 || box.Height <= 0) return ApiProblems.Single("?bbox", "is required when there are no districts to frame the map.");
        var now = clock.GetUtcNow();
        var (width, height) = BriefRenderer.MapSize;
        var view = new MapView(box, width, height, MapLayers.Default, now.AddHours(-hours), now, null);
        var brief = await briefs.ReadAsync(view, hours, user.Identity?.Name ?? "(unknown)", scope, ct);
        var pdf = BriefRenderer.RenderPdf(brief, Zone(options));
        await AuditContext.RecordExportAsync(db, "brief", new { format = "pdf", query = request.QueryString.Value, hours, incidents = brief.InPeriod }, ct);
        return TypedResults.File(pdf, "application/pdf", "situation-brief.pdf");
    }

    private static TimeZoneInfo Zone(IOptions<SituationOptions> options) => TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
}
