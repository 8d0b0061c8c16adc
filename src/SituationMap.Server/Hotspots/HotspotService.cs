using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Hotspots;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Live;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// What to analyse: incidents that occurred in [From, To), of some categories (null = all) and severity levels
/// (null = all), within the account's districts.
/// </summary>
public sealed record IncidentSelection(DateTimeOffset From, DateTimeOffset To, string[]? Categories, UserScope Scope, int[]? Severities = null)
{
    public string Key => $"{From.ToUnixTimeSeconds()}|{To.ToUnixTimeSeconds()}|{(Categories is null ? "*" : string.Join(',', Categories))}|{(Severities is null ? "*" : string.Join(',', Severities))}|{(Scope.DistrictArray is { } d ? string.Join(',', d) : "*")}";
}

/// <summary>
/// Runs the hotspot methods of SituationMap.Analysis on incidents from the database, in the metric projection of the
/// analysis area. Results are cached until incidents change (ChangeFeed.IncidentsVersion) and for at most two minutes.
/// </summary>
public sealed class HotspotService(NpgsqlDataSource dataSource, IMemoryCache cache, ChangeFeed feed, TimeProvider clock)
{
    private static readonly string PointsSql = SqlResource.Read("Hotspots/incident_points.sql");

    private sealed record Points(double[] X, double[] Y, double[] Severity, long[] Epoch);

    private Task<T?> CachedAsync<T>(string key, Func<Task<T?>> compute) where T : class =>
        cache.GetOrCreateAsync($"hotspots:{feed.IncidentsVersion}:{key}", entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(2);
            entry.Size = 1;
            return compute();
        });

    public Task<DensityResult?> DensityAsync(IncidentSelection s, KernelShape kernel, double cellM, double? bandwidthM, bool severityWeighted, bool withValues, CancellationToken ct) =>
        CachedAsync($"density|{s.Key}|{kernel}|{cellM}|{bandwidthM}|{severityWeighted}|{withValues}", async () =>
        {
            var clockStart = Stopwatch.GetTimestamp();
            var area = await AnalysisArea.LoadAsync(dataSource, s.Scope.DistrictArray, ct);
            if (area is null) return null;
            var grid = RasterGrid.Covering(area.Extent, cellM);
            if ((long)grid.Width * grid.Height > MaxDensityCells)
            {
                var smallest = Math.Ceiling(cellM * Math.Sqrt((double)grid.Width * grid.Height / MaxDensityCells));
                throw new HotspotQueryException("?cell_m", FormattableString.Invariant(
                    $"at {cellM} m the analysis area is {grid.Width} × {grid.Height} = {(long)grid.Width * grid.Height} cells; at most {MaxDensityCells} are computed: use cell_m ≥ {smallest}."));
            }
            var points = await LoadAsync(area, s, ct);
            var weights = severityWeighted ? points.Severity : default;
            // no incidents in the selection is an answer (an empty surface), and so are incidents all at one address,
            // where the default rule gives no bandwidth: they get the fallback bandwidth
            var bandwidth = bandwidthM ?? (points.X.Length >= 2 ? DefaultBandwidthOrNull(points.X, points.Y, weights) : null) ?? FallbackBandwidthM;
            var surface = points.X.Length == 0
                ? DensitySurface.Empty(grid, kernel, bandwidth)
                : new KernelDensity(grid, kernel, bandwidth).Estimate(points.X, points.Y, weights);
            var (image, legend, max) = DensityImage.Render(surface);
            var e = grid.Extent;
            double[] Corner(double x, double y) { var c = area.Projection.ToWgs84(x, y); return [Math.Round(c.X, 7), Math.Round(c.Y, 7)]; }
            return new DensityResult(WireNames.ToSnakeCase(kernel.ToString()), Math.Round(surface.Bandwidth, 1), cellM, grid.Width, grid.Height,
                [Corner(e.MinX, e.MaxY), Corner(e.MaxX, e.MaxY), Corner(e.MaxX, e.MinY), Corner(e.MinX, e.MinY)],
                max, legend, "data:image/png;base64," + Convert.ToBase64String(image), points.X.Length, s.From, s.To, clock.GetUtcNow(),
                Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds, withValues ? DensityImage.TopRowFirst(surface) : null);
        });

    /// <summary>The largest density grid computed (cells of the raster covering the analysis area): 4 M cells, 32 MB of doubles.</summary>
    public const int MaxDensityCells = 4_000_000;

    /// <summary>The bandwidth when the selection gives none (fewer than two incidents, or all at one place), in metres.</summary>
    public const double FallbackBandwidthM = 200;

    private static double? DefaultBandwidthOrNull(double[] x, double[] y, ReadOnlySpan<double> weights)
    {
        try
        {
            return KernelDensity.DefaultBandwidth(x, y, weights);
        }
        catch (ArgumentException)
        {
            return null; // all in one place, or weights summing to zero
        }
    }

    /// <summary>Gi* with binary distance-band weights of <paramref name="bandM"/> metres (the endpoint's default weights).</summary>
    public Task<HotspotMap?> GiStarAsync(IncidentSelection s, string gridKind, double cellM, double bandM, bool fdr, CancellationToken ct) =>
        GiStarAsync(s, gridKind, cellM, new WeightsSpec("distance", bandM, null, WeightsTransform.Binary), fdr, ct);

    /// <summary>Getis-Ord Gi* on counts per cell, optionally FDR-corrected (ArcGIS's Hot Spot Analysis), and General G with the same (binary) weights.</summary>
    public Task<HotspotMap?> GiStarAsync(IncidentSelection s, string gridKind, double cellM, WeightsSpec weights, bool fdr, CancellationToken ct) =>
        CachedAsync($"gistar|{s.Key}|{gridKind}|{cellM}|{weights.Key}|{fdr}", async () =>
        {
            var start = Stopwatch.GetTimestamp();
            var (area, cells, points, counts) = await PrepareAsync(s, gridKind, cellM, ct);
            if (area is null) return null;
            var values = counts.Select(c => (double)c).ToArray();
            var w = cells!.Weights(weights);
            var result = GetisOrdGiStar.Compute(values, w, weights.Transform, fdr);
            var features = new List<Feature<HotspotCellProperties>>();
            for (var i = 0; i < cells.Count; i++)
            {
                if (counts[i] == 0 && result.Bins[i] == HotSpotBin.NotSignificant) continue;
                features.Add(new(i, cells.Wgs84Polygon(i), new HotspotCellProperties(i, cells.Districts[i], counts[i], Round(result.Z[i]), Round(result.PTwoSided[i]),
                    (int)result.Bins[i], BinClass(result.Bins[i]), null, null, null, null, null)));
            }
            GeneralGSummary? generalG = null;
            if (values.Length >= 4 && values.Count(v => v > 0) >= 2)
            {
                var g = GetisOrdGeneralG.Compute(values, w);
                generalG = new GeneralGSummary(Round(g.G), Round(g.ExpectedG), Round(g.Z), Round(g.PTwoSided));
            }
            return Map("gistar", gridKind, cellM, weights, cells.Count, points!.X.Length, s, start, result.Bins.Select(BinClass), features,
                new Dictionary<string, object?> { ["fdr"] = fdr }, generalG: generalG);
        });

    /// <summary>
    /// Local Moran's I on counts per cell (row-standardised weights unless asked otherwise), conditional permutation
    /// inference; and global Moran's I with the same weights (normal and randomisation z, and the permutations' pseudo p).
    /// </summary>
    public Task<HotspotMap?> LisaAsync(IncidentSelection s, string gridKind, double cellM, WeightsSpec weights, int permutations, int seed, double alpha, CancellationToken ct) =>
        CachedAsync($"lisa|{s.Key}|{gridKind}|{cellM}|{weights.Key}|{permutations}|{seed}|{alpha}", async () =>
        {
            var start = Stopwatch.GetTimestamp();
            var (area, cells, points, counts) = await PrepareAsync(s, gridKind, cellM, ct);
            if (area is null) return null;
            var values = counts.Select(c => (double)c).ToArray();
            if (values.Length < 3 || values.All(v => v == values[0]))
            {
                // every cell has the same count (often: no incidents at all): no variance, so no clusters and no outliers
                return Map("lisa", gridKind, cellM, weights, cells!.Count, points!.X.Length, s, start, Enumerable.Repeat(QuadrantClass(MoranQuadrant.None), cells.Count), [],
                    new Dictionary<string, object?> { ["permutations"] = permutations, ["seed"] = seed, ["alpha"] = alpha, ["note"] = "every cell has the same count: Local Moran's I is undefined, no clusters" });
            }
            var w = cells!.Weights(weights);
            var result = LocalMoran.Compute(values, w, weights.Transform, permutations, seed);
            var clusters = result.Clusters(alpha);
            var features = new List<Feature<HotspotCellProperties>>();
            for (var i = 0; i < cells.Count; i++)
            {
                if (counts[i] == 0 && clusters[i] == MoranQuadrant.None) continue;
                features.Add(new(i, cells.Wgs84Polygon(i), new HotspotCellProperties(i, cells.Districts[i], counts[i], Round(result.ZSimulated[i]), Round(result.PseudoP[i]),
                    null, QuadrantClass(clusters[i]), Round(result.I[i]), QuadrantClass(result.Quadrants[i]), null, null, null)));
            }
            GlobalMoranSummary? global = null;
            if (values.Length >= 4 && w.IslandCount < w.Count)
            {
                var m = GlobalMoran.Compute(values, w, weights.Transform, permutations, seed);
                global = new GlobalMoranSummary(Round(m.I), Round(m.ExpectedI), Round(m.ZNormality), Round(m.PNormalityTwoTailed),
                    Round(m.ZRandomisation), Round(m.PRandomisationTwoTailed), m.Permutations, Round(m.PseudoP));
            }
            return Map("lisa", gridKind, cellM, weights, cells.Count, points!.X.Length, s, start, clusters.Select(QuadrantClass), features,
                new Dictionary<string, object?> { ["permutations"] = permutations, ["seed"] = seed, ["alpha"] = alpha }, global);
        });

    /// <summary>Emerging hot spots over <paramref name="steps"/> steps of <paramref name="stepDays"/> days ending at the selection's end.</summary>
    public Task<HotspotMap?> EmergingAsync(IncidentSelection s, string gridKind, double cellM, WeightsSpec weights, int steps, int stepDays, CancellationToken ct) =>
        CachedAsync($"emerging|{s.Key}|{gridKind}|{cellM}|{weights.Key}|{steps}|{stepDays}", async () =>
        {
            var start = Stopwatch.GetTimestamp();
            var window = s with { From = s.To.AddDays(-steps * stepDays) };
            var (area, cells, points, counts) = await PrepareAsync(window, gridKind, cellM, ct);
            if (area is null) return null;
            var cellOf = new int[points!.X.Length];
            var stepOf = new int[points.X.Length];
            var first = window.From.ToUnixTimeSeconds();
            var n = 0;
            for (var i = 0; i < points.X.Length; i++)
            {
                var c = cells!.CellOf(points.X[i], points.Y[i]);
                if (c < 0) continue;
                cellOf[n] = c;
                stepOf[n] = (int)Math.Clamp((points.Epoch[i] - first) / (stepDays * 86_400L), 0, steps - 1);
                n++;
            }
            var cube = SpaceTimeCube.FromEvents(cellOf.AsSpan(0, n), stepOf.AsSpan(0, n), cells!.Count, steps);
            var result = EmergingHotspots.Analyse(cube, cells.Weights(weights), new EmergingHotspotOptions());
            var features = new List<Feature<HotspotCellProperties>>();
            for (var i = 0; i < cells.Count; i++)
            {
                if (counts[i] == 0 && result.Patterns[i] == EmergingPattern.NoPattern) continue;
                var last = i * steps + steps - 1;
                features.Add(new(i, cells.Wgs84Polygon(i), new HotspotCellProperties(i, cells.Districts[i], counts[i], Round(result.Z[last]), Round(result.PTwoSided[last]),
                    (int)result.Bins[last], WireNames.ToSnakeCase(result.Patterns[i].ToString()), null, null,
                    WireNames.ToSnakeCase(result.Patterns[i].ToString()), Round(result.Trends[i].Tau), Round(result.Trends[i].PTwoSided))));
            }
            return Map("emerging", gridKind, cellM, weights, cells.Count, points.X.Length, window, start,
                result.Patterns.Select(p => WireNames.ToSnakeCase(p.ToString())), features,
                new Dictionary<string, object?> { ["steps"] = steps, ["step_days"] = stepDays, ["time_neighbour_steps"] = 1, ["fdr"] = true, ["trend_alpha"] = 0.10 });
        });

    private async Task<(AnalysisArea? Area, HotspotCells? Cells, Points? Points, int[] Counts)> PrepareAsync(IncidentSelection s, string gridKind, double cellM, CancellationToken ct)
    {
        var area = await AnalysisArea.LoadAsync(dataSource, s.Scope.DistrictArray, ct);
        if (area is null) return (null, null, null, []);
        var cells = HotspotCells.Build(area, gridKind, cellM);
        var points = await LoadAsync(area, s, ct);
        return (area, cells, points, cells.CountPoints(points.X, points.Y));
    }

    private async Task<Points> LoadAsync(AnalysisArea area, IncidentSelection s, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PointsSql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = s.From.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = s.To.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)s.Categories ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)s.Scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)s.Severities ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        var (x, y, sev, t) = (new List<double>(), new List<double>(), new List<double>(), new List<long>());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var m = area.Projection.ToMetric(r.GetDouble(0), r.GetDouble(1));
            x.Add(m.X);
            y.Add(m.Y);
            sev.Add(r.GetInt32(2));
            t.Add(r.GetInt64(3));
        }
        return new Points([.. x], [.. y], [.. sev], [.. t]);
    }

    private HotspotMap Map(string method, string grid, double cellM, WeightsSpec weights, int cells, int points, IncidentSelection s, long start,
        IEnumerable<string> classes, List<Feature<HotspotCellProperties>> features, Dictionary<string, object?> parameters,
        GlobalMoranSummary? globalMoran = null, GeneralGSummary? generalG = null)
    {
        parameters["weights"] = weights.Description;
        parameters["weights_kind"] = weights.Kind;
        parameters["transform"] = weights.TransformName;
        if (weights.K is { } k) parameters["k"] = k;
        if (s.Severities is { } severities) parameters["severity"] = severities;
        return new(method, grid, cellM, weights.BandM, cells, points, s.From, s.To, clock.GetUtcNow(),
            Stopwatch.GetElapsedTime(start).TotalMilliseconds,
            classes.GroupBy(c => c).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()), features, parameters,
            globalMoran, generalG);
    }

    public static string BinClass(HotSpotBin bin) => bin switch
    {
        HotSpotBin.Hot99 => "hot_99",
        HotSpotBin.Hot95 => "hot_95",
        HotSpotBin.Hot90 => "hot_90",
        HotSpotBin.Cold90 => "cold_90",
        HotSpotBin.Cold95 => "cold_95",
        HotSpotBin.Cold99 => "cold_99",
        _ => "not_significant",
    };

    public static string QuadrantClass(MoranQuadrant q) => q == MoranQuadrant.None ? "not_significant" : WireNames.ToSnakeCase(q.ToString());

    private static double? Round(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;
}
