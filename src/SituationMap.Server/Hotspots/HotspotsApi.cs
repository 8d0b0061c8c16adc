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

/// <summary>
/// The incidents to analyse: ?from, ?to (default: the 7 days before now), ?category (comma-separated), ?severity
/// (comma-separated levels 1–4) and ?min_severity (1–4; "major cases" = 3). Both severity filters may be given: an
/// incident must pass both.
/// </summary>
public sealed record SelectionQuery(string? From, string? To, string? Category, string? Severity,
    [property: FromQuery(Name = "min_severity")] int? MinSeverity)
{
    public IncidentSelection? Validate(ClaimsPrincipal user, TimeProvider clock, ProblemCollector problems)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds() / 60 * 60);
        var to = FilterValues.Time(To, "to", problems) ?? now;
        var from = FilterValues.Time(From, "from", problems) ?? to.AddDays(-7);
        FilterValues.Window(from, to, problems);
        if (to - from > TimeSpan.FromDays(3 * 366)) problems.Add("?from", "the window may span at most three years.");
        var categories = FilterValues.Enums<IncidentCategory>(Category, "category", problems)?.Select(WireNames.Of).ToArray();
        var severities = Severities(Severity, MinSeverity, problems);
        return problems.Any ? null : new IncidentSelection(from, to, categories, UserScope.Of(user), severities);
    }

    /// <summary>The severity levels ?severity and ?min_severity admit, ascending; null when they admit every level.</summary>
    public static int[]? Severities(string? severity, int? minSeverity, ProblemCollector problems)
    {
        var listed = FilterValues.Integers(severity, "severity", 1, 4, problems);
        if (minSeverity is < 1 or > 4) problems.Add("?min_severity", "must be between 1 and 4.");
        if (listed is null && minSeverity is null or 1) return null;
        var admitted = (listed ?? [1, 2, 3, 4]).Where(v => v >= (minSeverity ?? 1)).Distinct().Order().ToArray();
        if (admitted.Length == 0 && !problems.Any) problems.Add("?severity", $"no level in '{severity}' is at least min_severity {minSeverity}: nothing would be analysed.");
        return admitted.Length == 4 ? null : admitted;
    }
}

/// <summary>
/// The aggregation of cell-based methods: ?grid (hex, square, districts), ?cell_m, and the spatial weights between the
/// cells: ?weights (distance: a band of ?band_m metres between cell centres, inclusive — the default on hexagons and
/// squares; knn: the ?k nearest cell centres; contiguity: cells sharing an edge or a corner — the default on districts)
/// and ?transform (binary or row: row-standardised; the default is the method's own).
/// </summary>
public sealed record CellQuery(
    string? Grid,
    [property: FromQuery(Name = "cell_m")] double? CellM,
    [property: FromQuery(Name = "band_m")] double? BandM,
    string? Weights,
    int? K,
    string? Transform)
{
    public const int MaxK = 50;

    public (string Grid, double CellM, WeightsSpec Weights) Validate(double defaultCell, WeightsTransform defaultTransform, bool transformable, ProblemCollector problems)
    {
        var grid = Grid ?? "hex";
        if (grid is not ("hex" or "square" or "districts")) problems.Add("?grid", "must be hex, square or districts.");
        var cell = CellM ?? defaultCell;
        if (!double.IsFinite(cell) || cell is < 50 or > 5000) problems.Add("?cell_m", "must be between 50 and 5000 metres.");
        var kind = Weights ?? (grid == "districts" ? "contiguity" : "distance");
        if (kind is not ("distance" or "knn" or "contiguity")) problems.Add("?weights", "must be distance, knn or contiguity.");
        double? band = null;
        if (kind == "distance" && grid == "districts")
        {
            // district centres are irregular: there is no lattice spacing to default to
            if (BandM is not { } b) problems.Add("?band_m", "is required with grid=districts and weights=distance (metres between district centres).");
            else if (!double.IsFinite(b) || b is < 100 or > 100_000) problems.Add("?band_m", "must be between 100 and 100000 metres.");
            band = BandM;
        }
        else if (kind == "distance")
        {
            // the default band reaches the adjacent cells: 6 for hexagons, 8 (queen) for squares
            band = BandM ?? (grid == "square" ? cell * 1.42 : cell * 1.01);
            if (!double.IsFinite(band.Value) || band < cell || band > cell * 20) problems.Add("?band_m", "must be between cell_m and 20 × cell_m.");
        }
        else if (BandM is not null)
        {
            problems.Add("?band_m", "applies only to weights=distance.");
        }
        int? k = null;
        if (kind == "knn")
        {
            k = K ?? 8;
            if (k is < 1 or > MaxK) problems.Add("?k", $"must be between 1 and {MaxK}.");
        }
        else if (K is not null)
        {
            problems.Add("?k", "applies only to weights=knn.");
        }
        var transform = defaultTransform;
        if (Transform is not null && !transformable) problems.Add("?transform", "this method uses binary weights only.");
        else if (Transform == "binary") transform = WeightsTransform.Binary;
        else if (Transform == "row") transform = WeightsTransform.RowStandardised;
        else if (Transform is not null) problems.Add("?transform", "must be binary or row.");
        return (grid, cell, new WeightsSpec(kind, band, k, transform));
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

    /// <summary>?kernel (quartic, epanechnikov, gaussian), ?cell_m (default 50; the grid over the analysis area may have at most <see cref="HotspotService.MaxDensityCells"/> cells), ?bandwidth_m (default: ArcGIS's Silverman rule), ?weight (none, severity), ?values (true: include the grid values).</summary>
    public static async Task<IResult> Density([AsParameters] SelectionQuery selection, string? kernel,
        [FromQuery(Name = "cell_m")] double? cellM, [FromQuery(Name = "bandwidth_m")] double? bandwidthM, string? weight, bool? values,
        HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var shape = KernelShape.Quartic;
        if (kernel is not null && !Enum.TryParse(kernel, ignoreCase: true, out shape) || !Enum.IsDefined(shape))
            problems.Add("?kernel", "must be quartic, epanechnikov or gaussian.");
        var cell = cellM ?? HotspotRefresher.DefaultDensityCellM;
        if (!double.IsFinite(cell) || cell is < 10 or > 1000) problems.Add("?cell_m", "must be between 10 and 1000 metres.");
        if (bandwidthM is { } h && (!double.IsFinite(h) || h is < 10 or > 20_000)) problems.Add("?bandwidth_m", "must be between 10 and 20000 metres.");
        if (weight is not (null or "none" or "severity")) problems.Add("?weight", "must be none or severity.");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        try
        {
            var result = await hotspots.DensityAsync(s!, shape, cell, bandwidthM, weight == "severity", values == true, ct);
            return result is null ? NoArea() : TypedResults.Json(result, ApiJson.Options);
        }
        catch (HotspotQueryException e)
        {
            return e.ToResult();
        }
    }

    /// <summary>Getis-Ord Gi* hot and cold spots (?fdr, default true: Benjamini–Hochberg as ArcGIS does; ?transform default binary) and General G.</summary>
    public static async Task<IResult> GiStar([AsParameters] SelectionQuery selection, [AsParameters] CellQuery cells, bool? fdr,
        HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var (grid, cell, weights) = cells.Validate(250, WeightsTransform.Binary, true, problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        return await AnswerAsync(() => hotspots.GiStarAsync(s!, grid, cell, weights, fdr ?? true, ct));
    }

    /// <summary>Local Moran's I clusters and outliers (?permutations, default 499; ?seed; ?alpha, default 0.05; ?transform default row) and global Moran's I.</summary>
    public static async Task<IResult> Lisa([AsParameters] SelectionQuery selection, [AsParameters] CellQuery cells, int? permutations, int? seed, double? alpha,
        HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var (grid, cell, weights) = cells.Validate(250, WeightsTransform.RowStandardised, true, problems);
        if (permutations is < 1 or > 9999) problems.Add("?permutations", "must be between 1 and 9999 (clusters are decided by permutation pseudo p-values).");
        if (alpha is { } a && (!double.IsFinite(a) || a is <= 0 or > 0.5)) problems.Add("?alpha", "must be in (0, 0.5].");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        return await AnswerAsync(() => hotspots.LisaAsync(s!, grid, cell, weights, permutations ?? 499, seed ?? 20261125, alpha ?? 0.05, ct));
    }

    /// <summary>Emerging hot spots: ?steps time steps (default 12) of ?step_days days (default 7) ending at ?to.</summary>
    public static async Task<IResult> Emerging([AsParameters] SelectionQuery selection, [AsParameters] CellQuery cells, int? steps,
        [FromQuery(Name = "step_days")] int? stepDays, HotspotService hotspots, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var s = selection.Validate(user, clock, problems);
        var (grid, cell, weights) = cells.Validate(500, WeightsTransform.Binary, false, problems);
        if (steps is < 4 or > 104) problems.Add("?steps", "must be between 4 and 104.");
        if (stepDays is < 1 or > 31) problems.Add("?step_days", "must be between 1 and 31.");
        if (problems.Any) return problems.ToResult("The query is invalid.");
        return await AnswerAsync(() => hotspots.EmergingAsync(s!, grid, cell, weights, steps ?? 12, stepDays ?? 7, ct));
    }

    /// <summary>CompStat: ?days (default 28) ending at ?end (default: the start of today in the city's time zone), ?alpha (default 0.05), ?severity / ?min_severity (major cases: min_severity=3).</summary>
    public static async Task<IResult> CompStatTable(string? end, int? days, double? alpha, string? severity, [FromQuery(Name = "min_severity")] int? minSeverity, CompStat compStat,
        Microsoft.Extensions.Options.IOptions<SituationOptions> situation, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var (table, problem) = await CompStatAsync(end, days, alpha, severity, minSeverity, compStat, situation.Value, clock, user, ct);
        return problem ?? TypedResults.Json(table, ApiJson.Options);
    }

    public static async Task<IResult> CompStatCsv(string? end, int? days, double? alpha, string? severity, [FromQuery(Name = "min_severity")] int? minSeverity, CompStat compStat,
        Microsoft.Extensions.Options.IOptions<SituationOptions> situation, TimeProvider clock, ClaimsPrincipal user, HttpContext context,
        SituationMap.Server.Infrastructure.Database.SituationMapDb db, CancellationToken ct)
    {
        var (table, problem) = await CompStatAsync(end, days, alpha, severity, minSeverity, compStat, situation.Value, clock, user, ct);
        if (problem is not null) return problem;
        await SituationMap.Server.Audit.AuditContext.RecordExportAsync(db, "compstat",
            new { format = "csv", query = context.Request.QueryString.Value, rows = table!.Rows.Count }, ct);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(CompStat.ToCsv(table!)), "text/csv; charset=utf-8",
            $"compstat-{table!.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");
    }

    private static async Task<(CompStatTable? Table, IResult? Problem)> CompStatAsync(string? end, int? days, double? alpha, string? severity, int? minSeverity, CompStat compStat,
        SituationOptions situation, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var until = FilterValues.Time(end, "end", problems) ?? LocalMidnight(clock.GetUtcNow(), situation.TimeZone);
        if (days is < 1 or > 366) problems.Add("?days", "must be between 1 and 366.");
        if (alpha is { } a && (!double.IsFinite(a) || a is <= 0 or > 0.5)) problems.Add("?alpha", "must be in (0, 0.5].");
        var severities = SelectionQuery.Severities(severity, minSeverity, problems);
        if (problems.Any) return (null, problems.ToResult("The query is invalid."));
        return (await compStat.ComputeAsync(until, days ?? 28, alpha ?? 0.05, UserScope.Of(user), severities, ct), null);
    }

    private static DateTimeOffset LocalMidnight(DateTimeOffset now, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date;
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    private static async Task<IResult> AnswerAsync(Func<Task<HotspotMap?>> compute)
    {
        try
        {
            var map = await compute();
            return map is null ? NoArea() : TypedResults.Json(map, ApiJson.Options);
        }
        catch (HotspotQueryException e)
        {
            return e.ToResult();
        }
    }

    private static IResult NoArea() => ApiProblems.Problem(StatusCodes.Status404NotFound, "no-analysis-area", "Nothing to analyse.",
        "Hotspot analysis needs districts (the study area); none are defined within your scope.");
}

/// <summary>A query that passed the parameter checks but cannot be answered for this data (found while computing): a 400 naming the parameter.</summary>
public sealed class HotspotQueryException(string pointer, string message) : Exception(message)
{
    public string Pointer { get; } = pointer;

    public IResult ToResult()
    {
        var problems = new ProblemCollector();
        problems.Add(Pointer, Message);
        return problems.ToResult("The query is invalid.");
    }
}
