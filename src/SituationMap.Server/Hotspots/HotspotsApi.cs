using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Hotspots;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Situation;

namespace SituationMap.Server.Hotspots;

/// <summary>The incidents to analyse: ?from, ?to (default: the 7 days before now), ?category (comma-separated).</summary>
public sealed record SelectionQuery(string? From, string? To, string? Category)
{
    public IncidentSelection? Validate(ClaimsPrincipal user, TimeProvider clock, ProblemCollector problems)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds() / 60 * 60);
        var to = FilterValues.Time(To, "to", problems) ?? now;
        var from = FilterValues.Time(From, "from", problems) ?? to.AddDays(-7);
        FilterValues.Window(from, to, problems);
        if (to - from > TimeSpan.FromDays(3 * 366)) problems.Add("?from", "the window may span at most three years.");
        var categories = FilterValues.Enums<IncidentCategory>(Category, "category", problems)?.Select(WireNames.Of).ToArray();
        return problems.Any ? null : new IncidentSelection(from, to, categories, UserScope.Of(user));
    }
}

/// <summary>The aggregation of cell-based methods: ?grid (hex, square, districts), ?cell_m, ?band_m.</summary>
public sealed record CellQuery(
    string? Grid,
    [property: FromQuery(Name = "cell_m")] double? CellM,
    [property: FromQuery(Name = "band_m")] double? BandM)
{
    public (string Grid, double CellM, double BandM) Validate(double defaultCell, ProblemCollector problems)
    {
        var grid = Grid ?? "hex";
        if (grid is not ("hex" or "square" or "districts")) problems.Add("?grid", "must be hex, square or districts.");
        var cell = CellM ?? defaultCell;
        if (!double.IsFinite(cell) || cell is < 50 or > 5000) problems.Add("?cell_m", "must be between 50 and 5000 metres.");
        // the default band reaches the adjacent cells: 6 for hexagons, 8 (queen) for squares
        var band = BandM ?? (grid == "square" ? cell * 1.42 : cell * 1.01);
        if (!double.IsFinite(band) || band < cell || band > cell * 20) problems.Add("?band_m", "must be between cell_m and 20 × cell_m.");
        return (grid, cell, band);
    }
}

/// <summary>
/// Hotspot analytics over the incidents an account may see: kernel density, Getis-Ord Gi*, local Moran's I, emerging
/// hot spots, CompStat. Permission read; results are cached until incidents change.
/// </summary>
public static class HotspotsApi
{
    public static IServiceCollection AddHotspots(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HotspotOptions>(configuration.GetSection("Hotspots"));
        services.AddSingleton<HotspotService>();
        services.AddSingleton<CompStat>();
        services.AddHostedService<HotspotRefresher>();
        return services;
    }

    public static RouteGroupBuilder MapHotspotsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/hotspots").WithTags("Hotspots").RequireAuthorization(Permissions.Read);
        group.MapGet("/density", Density).WithName("GetDensity").Produces<DensityResult>().ProducesValidationProblem();
        group.MapGet("/gistar", GiStar).WithName("GetGiStarHotspots").Produces<HotspotMap>().ProducesValidationProblem();
        group.MapGet("/lisa", Lisa).WithName("GetLocalMoranClusters").Produces<HotspotMap>().ProducesValidationProblem();
        group.MapGet("/emerging", Emerging).WithName("GetEmergingHotspots").Produces<HotspotMap>().ProducesValidationProblem();
        group.MapGet("/compstat", CompStatTable).WithName("GetCompStat").Produces<CompStatTable>().ProducesValidationProblem();
        // a download leaves the system: permission export, and audited like every export
        group.MapGet("/compstat.csv", CompStatCsv).WithName("ExportCompStat").RequireAuthorization(Permissions.Export)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return group;
    }

    /// <summary>?kernel (quartic, epanechnikov, gaussian), ?cell_m (default 50), ?bandwidth_m (default: ArcGIS's Silverman rule), ?weight (none, severity), ?values (true: include the grid values).</summary>
    public static async Task<IResult> Density([AsParameters] SelectionQuery selection, string? kernel,
        [FromQuery(Name = "cell_m")] double? cellM, [FromQuery(Name = "bandwidth_m")] double? bandwidthM, string? weight, bool? values,
        HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var shape = KernelShape.Quartic;
        if (kernel is not null && !Enum.TryParse(kernel, ignoreCase: true, out shape) || !Enum.IsDefined(shape))
            problems.Add("?kernel", "must be quartic, epanechnikov or gaussian.");
        var cell = cellM ?? 50;
        if (!double.IsFinite(cell) || cell is < 10 or > 1000) problems.Add("?cell_m", "must be between 10 and 1000 metres.");
        if (bandwidthM is { } h && (!double.IsFinite(h) || h is < 10 or > 20_000)) problems.Add("?bandwidth_m", "must be between 10 and 20000 metres.");
        if (weight is not (null or "none" or "severity")) problems.Add("?weight", "must be none or severity.");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        var result = await hotspots.DensityAsync(s!, shape, cell, bandwidthM, weight == "severity", values == true, ct);
        return result is null ? NoArea() : TypedResults.Json(result, ApiJson.Options);
    }

    /// <summary>Getis-Ord Gi* hot and cold spots (?fdr, default true: Benjamini–Hochberg as ArcGIS does).</summary>
    public static async Task<IResult> GiStar([AsParameters] SelectionQuery selection, [AsParameters] CellQuery cells, bool? fdr,
        HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var (grid, cell, band) = cells.Validate(250, problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        return Answer(await hotspots.GiStarAsync(s!, grid, cell, band, fdr ?? true, ct));
    }

    /// <summary>Local Moran's I clusters and outliers (?permutations, default 499; ?seed; ?alpha, default 0.05).</summary>
    public static async Task<IResult> Lisa([AsParameters] SelectionQuery selection, [AsParameters] CellQuery cells, int? permutations, int? seed, double? alpha,
        HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var (grid, cell, band) = cells.Validate(250, problems);
        if (permutations is < 1 or > 9999) problems.Add("?permutations", "must be between 1 and 9999 (clusters are decided by permutation pseudo p-values).");
        if (alpha is { } a && (!double.IsFinite(a) || a is <= 0 or > 0.5)) problems.Add("?alpha", "must be in (0, 0.5].");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        return Answer(await hotspots.LisaAsync(s!, grid, cell, band, permutations ?? 499, seed ?? 20261125, alpha ?? 0.05, ct));
    }

    /// <summary>Emerging hot spots: ?steps time steps (default 12) of ?step_days days (default 7) ending at ?to.</summary>
    public static async Task<IResult> Emerging([AsParameters] SelectionQuery selection, [AsParameters] CellQuery cells, int? steps,
        [FromQuery(Name = "step_days")] int? stepDays, HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var (grid, cell, band) = cells.Validate(500, problems);
        if (steps is < 4 or > 104) problems.Add("?steps", "must be between 4 and 104.");
        if (stepDays is < 1 or > 31) problems.Add("?step_days", "must be between 1 and 31.");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        return Answer(await hotspots.EmergingAsync(s!, grid, cell, band, steps ?? 12, stepDays ?? 7, ct));
    }

    /// <summary>CompStat: ?days (default 28) ending at ?end (default: the start of today in the city's time zone), ?alpha (default 0.05).</summary>
    public static async Task<IResult> CompStatTable(string? end, int? days, double? alpha, CompStat compStat,
        Microsoft.Extensions.Options.IOptions<SituationOptions> situation, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var (table, problem) = await CompStatAsync(end, days, alpha, compStat, situation.Value, clock, user, ct);
        return problem ?? TypedResults.Json(table, ApiJson.Options);
    }

    public static async Task<IResult> CompStatCsv(string? end, int? days, double? alpha, CompStat compStat,
        Microsoft.Extensions.Options.IOptions<SituationOptions> situation, TimeProvider clock, ClaimsPrincipal user, HttpContext context,
        SituationMap.Server.Infrastructure.Database.SituationMapDb db, CancellationToken ct)
    {
        var (table, problem) = await CompStatAsync(end, days, alpha, compStat, situation.Value, clock, user, ct);
        if (problem is not null) return problem;
        await SituationMap.Server.Audit.AuditContext.RecordExportAsync(db, "compstat",
            new { format = "csv", query = context.Request.QueryString.Value, rows = table!.Rows.Count }, ct);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(CompStat.ToCsv(table!)), "text/csv; charset=utf-8",
            $"compstat-{table!.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");
    }

    private static async Task<(CompStatTable? Table, IResult? Problem)> CompStatAsync(string? end, int? days, double? alpha, CompStat compStat,
        SituationOptions situation, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var until = FilterValues.Time(end, "end", problems) ?? LocalMidnight(clock.GetUtcNow(), situation.TimeZone);
        if (days is < 1 or > 366) problems.Add("?days", "must be between 1 and 366.");
        if (alpha is { } a && (!double.IsFinite(a) || a is <= 0 or > 0.5)) problems.Add("?alpha", "must be in (0, 0.5].");
        if (problems.Any) return (null, problems.ToResult("The query is invalid."));
        return (await compStat.ComputeAsync(until, days ?? 28, alpha ?? 0.05, UserScope.Of(user), ct), null);
    }

    private static DateTimeOffset LocalMidnight(DateTimeOffset now, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date;
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    private static IResult Answer(HotspotMap? map) => map is null ? NoArea() : TypedResults.Json(map, ApiJson.Options);

    private static IResult NoArea() => ApiProblems.Problem(StatusCodes.Status404NotFound, "no-analysis-area", "Nothing to analyse.",
        "Hotspot analysis needs districts (the study area); none are defined within your scope.");
}
