using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using Npgsql;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Coverage;

/// <summary>A validated recommendation request.</summary>
public sealed record RecommendationPlan(int Budget, CameraKind Kind, double FieldOfViewDeg, double RangeM, int Headings, string Source, double? SpacingM,
    IReadOnlyList<Coordinate>? Points, IReadOnlyDictionary<ZoneKind, double> KindWeights, double IncidentWeight, string? District, IReadOnlySet<long>? ZoneIds);

/// <summary>
/// Planning on top of the coverage model: where to add cameras (lazy greedy over site × heading options with occluded
/// views, <see cref="CameraPlacement"/>) and what a draft scenario would change (<see cref="IncrementalCoverage.WhatIf"/>).
/// Neither writes anything.
/// </summary>
public sealed class CoveragePlanner(CoverageService coverage, NpgsqlDataSource dataSource)
{
    /// <summary>Exhaustive search checks greedy when the instance has at most this many subsets.</summary>
    public const long ExhaustiveLimit = 200_000;

    public static RecommendationPlan? Validate(RecommendationRequest? r, UserScope scope, ProblemCollector problems)
    {
        if (r is null)
        {
            problems.Add("", "a JSON body is required.");
            return null;
        }
        var budget = r.Budget ?? 5;
        if (budget is < 1 or > 100) problems.Add("/budget", "must be between 1 and 100 cameras.");
        var kind = CameraKind.Fixed;
        if (r.Camera?.Kind is { } k && !WireNames.TryParse(k, out kind)) problems.Add("/camera/kind", "must be fixed, ptz or dome.");
        var fov = r.Camera?.FieldOfViewDeg ?? (kind == CameraKind.Fixed ? 90 : 360);
        if (!double.IsFinite(fov) || fov is <= 0 or > 360) problems.Add("/camera/field_of_view_deg", "must be in (0, 360] degrees.");
        var range = r.Camera?.RangeM ?? 60;
        if (!double.IsFinite(range) || range is <= 0 or > CameraSpec.MaxRangeM) problems.Add("/camera/range_m", "must be in (0, 1000] metres.");
        var headings = kind == CameraKind.Fixed ? r.Headings ?? 8 : 1;
        if (headings is < 1 or > 36) problems.Add("/headings", "must be between 1 and 36 per site.");
        var source = r.Candidates?.Source ?? "grid";
        if (source is not ("grid" or "roads" or "list")) problems.Add("/candidates/source", "must be grid, roads or list.");
        var spacing = r.Candidates?.SpacingM;
        if (spacing is { } sp && (!double.IsFinite(sp) || sp is < 5 or > 500)) problems.Add("/candidates/spacing_m", "must be between 5 and 500 metres.");
        List<Coordinate>? points = null;
        if (source == "list")
        {
            if (r.Candidates?.Points is not { Count: > 0 } list) problems.Add("/candidates/points", "list the candidate sites as [longitude, latitude] pairs.");
            else if (list.Count > 5_000) problems.Add("/candidates/points", "at most 5000 sites.");
            else
            {
                points = [];
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not [var lon, var lat] || !double.IsFinite(lon) || !double.IsFinite(lat) || lon is < -180 or > 180 || lat is < -90 or > 90)
                        problems.Add($"/candidates/points/{i}", "must be [longitude, latitude] in degrees.");
                    else points.Add(new Coordinate(lon, lat));
                }
            }
        }
        var weights = new Dictionary<ZoneKind, double>();
        foreach (var (name, weight) in r.KindWeights ?? new Dictionary<string, double>())
        {
            if (!WireNames.TryParse<ZoneKind>(name, out var zoneKind)) problems.Add($"/kind_weights/{name}", "is not a zone kind (" + string.Join(", ", WireNames.All<ZoneKind>()) + ").");
            else if (!double.IsFinite(weight) || weight is < 0 or > 100) problems.Add($"/kind_weights/{name}", "must be between 0 and 100.");
            else weights[zoneKind] = weight;
        }
        var incidentWeight = r.IncidentWeight ?? 0;
        if (!double.IsFinite(incidentWeight) || incidentWeight is < 0 or > 10) problems.Add("/incident_weight", "must be between 0 and 10.");
        if (r.District is { } d && !scope.Allows(d)) problems.Add("/district", $"{d} is not one of your districts.");
        if (r.ZoneIds is { Count: > 1_000 }) problems.Add("/zone_ids", "at most 1000 zones.");
        return problems.Any ? null : new RecommendationPlan(budget, kind, fov, range, headings, source, spacing, points, weights, incidentWeight,
            r.District, r.ZoneIds is null ? null : new HashSet<long>(r.ZoneIds));
    }

    /// <summary>The recommendation, or a problem (422) when the candidates give too many options.</summary>
    public async Task<(RecommendationResponse? Result, IResult? Problem)> RecommendAsync(RecommendationPlan plan, UserScope scope, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        // a consistent snapshot of the zones below target (immutable results) and the model's immutable parts
        var snapshot = await coverage.ReadAsync(model => new
        {
            Model = model,
            Zones = CoverageService.Visible(model, scope)
                .Where(i => plan.District is null || model.Zones[i].District == plan.District)
                .Where(i => plan.ZoneIds is null || plan.ZoneIds.Contains(model.Zones[i].Id))
                .Select(i => model.Incremental.Zones[i]).Where(z => z.BelowTarget).ToArray(),
        }, ct);
        if (snapshot is null) return (Empty(plan, start), null);
        var model = snapshot.Model;
        var zones = snapshot.Zones;
        var blind = zones.Where(z => !z.BlindSpot.IsEmpty).Select(z => z.BlindSpot).ToList();
        if (blind.Count == 0) return (Empty(plan, start), null);

        // without a spacing: 25 m (roads 20 m), widened so that the sites × headings stay within the option limit
        var spacing = plan.SpacingM ?? Math.Max(plan.Source == "roads" ? 20 : 25,
            Math.Ceiling(Math.Sqrt(blind.Sum(b => b.Area) * plan.Headings / (0.7 * coverage.Options.MaxOptions)) / 5) * 5);
        var sites = await SitesAsync(spacing);
        while (plan.SpacingM is null && plan.Source != "list" && sites.Count * plan.Headings > coverage.Options.MaxOptions)
        {
            spacing = Math.Ceiling(spacing * 1.25 / 5) * 5;
            sites = await SitesAsync(spacing);
        }
        var options = new List<(int Site, double Heading)>();
        for (var s = 0; s < sites.Count; s++)
        {
            for (var h = 0; h < plan.Headings; h++) options.Add((s, plan.Headings == 1 ? 0 : 360.0 * h / plan.Headings));
        }
        if (options.Count > coverage.Options.MaxOptions)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "too-many-options", "Too many candidate options.",
                $"{sites.Count} sites × {plan.Headings} headings = {options.Count} options; at most {coverage.Options.MaxOptions}: increase /candidates/spacing_m, reduce /headings or restrict /district or /zone_ids."));
        }
        var views = new Geometry[options.Count];
        Parallel.For(0, options.Count, o => views[o] = model.Viewshed.View(new CameraSpec(sites[options[o].Site], options[o].Heading, plan.FieldOfViewDeg, plan.RangeM, plan.Kind)));
        var placementOptions = new List<PlacementOption>();
        for (var o = 0; o < options.Count; o++)
        {
            if (!views[o].IsEmpty) placementOptions.Add(new PlacementOption(options[o].Site.ToString(CultureInfo.InvariantCulture), options[o].Heading, views[o]));
        }
        var blindArea = blind.Sum(b => b.Area);
        var settings = new PlacementSettings
        {
            SampleSpacingM = Math.Clamp(Math.Sqrt(blindArea / 400_000), 2, 20),
            KindWeights = plan.KindWeights,
            ZoneWeightFactors = IncidentFactors(zones, plan.IncidentWeight),
        };
        var placement = new CameraPlacement(zones, placementOptions, settings);
        var result = placement.Greedy(plan.Budget);
        double? optimality = null;
        if (SubsetCount(placementOptions.Count, plan.Budget) <= ExhaustiveLimit && result.ObjectiveWeighted > 0)
        {
            var best = ExhaustivePlacement.Best(placement, plan.Budget, ExhaustiveLimit + 1);
            optimality = best.Objective > 0 ? Math.Round(result.ObjectiveWeighted / best.Objective, 6) : null;
        }
        var picks = result.Picks.Select((p, i) => new RecommendedCamera(i + 1, Lonlat(model, sites[int.Parse(p.Option.SiteId, CultureInfo.InvariantCulture)]),
            p.Option.HeadingDeg, CoverageService.Round(p.GainWeighted), CoverageService.Round(p.NewlyCoveredM2), CoverageService.Wgs84(model, p.Option.View),
            [.. p.Zones.Select(z => new ZoneChange(long.Parse(z.ZoneId, CultureInfo.InvariantCulture), CoverageService.Fraction(z.FractionBefore), CoverageService.Fraction(z.FractionAfter)))])).ToList();
        var after = new Dictionary<long, ZoneChange>();
        foreach (var change in picks.SelectMany(p => p.Zones))
            after[change.ZoneId] = after.TryGetValue(change.ZoneId, out var first) ? first with { After = change.After } : change;
        return (new RecommendationResponse(picks, CoverageService.Round(result.ObjectiveWeighted), sites.Count, placementOptions.Count, result.GainEvaluations, optimality,
            [.. after.Values.OrderBy(z => z.ZoneId)], plan.Source == "list" ? null : spacing, settings.SampleSpacingM, Stopwatch.GetElapsedTime(start).TotalMilliseconds), null);

        async Task<List<Coordinate>> SitesAsync(double spacing) => plan.Source switch
        {
            "list" => [.. plan.Points!.Select(p => model.Projection.ToMetric(p.X, p.Y))],
            "roads" => await RoadSitesAsync(model, blind, plan.RangeM, spacing, ct),
            _ => GridSites(blind, spacing),
        };
    }

    private static RecommendationResponse Empty(RecommendationPlan plan, long start) =>
        new([], 0, 0, 0, 0, null, [], plan.SpacingM, 0, Stopwatch.GetElapsedTime(start).TotalMilliseconds);

    /// <summary>Zone factors 1 + w × (incident density / mean density of the zones considered).</summary>
    private static Dictionary<string, double>? IncidentFactors(IReadOnlyList<ZoneCoverage> zones, double weight)
    {
        if (weight <= 0) return null;
        var incidents = zones.Sum(z => z.Incidents);
        var area = zones.Sum(z => z.AreaM2);
        if (incidents == 0 || area <= 0) return null;
        var mean = incidents / area;
        return zones.ToDictionary(z => z.Id, z => 1 + weight * (z.AreaM2 > 0 ? z.Incidents / z.AreaM2 / mean : 0), StringComparer.Ordinal);
    }

    /// <summary>Points of a global square grid (spacing) within spacing/2 of the blind spots.</summary>
    private static List<Coordinate> GridSites(IReadOnlyList<Geometry> blind, double s)
    {
        var seen = new HashSet<(long, long)>();
        var sites = new List<Coordinate>();
        foreach (var spot in blind)
        {
            var near = spot.Buffer(s / 2, 4);
            var locator = new IndexedPointInAreaLocator(near);
            var e = near.EnvelopeInternal;
            for (var i = (long)Math.Ceiling(e.MinX / s); i * s <= e.MaxX; i++)
            {
                for (var j = (long)Math.Ceiling(e.MinY / s); j * s <= e.MaxY; j++)
                {
                    var c = new Coordinate(i * s, j * s);
                    if (locator.Locate(c) != Location.Exterior && seen.Add((i, j))) sites.Add(c);
                }
            }
        }
        return sites;
    }

    /// <summary>Points every spacing along the roads, within half the camera range of a blind spot.</summary>
    private async Task<List<Coordinate>> RoadSitesAsync(CoverageModel model, IReadOnlyList<Geometry> blind, double rangeM, double spacing, CancellationToken ct)
    {
        var near = blind.Select(b => new IndexedPointInAreaLocator(b.Buffer(rangeM / 2, 4))).ToArray();
        var envelopes = blind.Select(b => { var e = b.EnvelopeInternal.Copy(); e.ExpandBy(rangeM / 2); return e; }).ToArray();
        var extent = new Envelope();
        foreach (var e in envelopes) extent.ExpandToInclude(e);
        var sw = model.Projection.ToWgs84(extent.MinX, extent.MinY);
        var ne = model.Projection.ToWgs84(extent.MaxX, extent.MaxY);
        await using var cmd = dataSource.CreateCommand("SELECT geom FROM roads WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)");
        foreach (var v in new[] { sw.X, sw.Y, ne.X, ne.Y }) cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = v });
        var sites = new List<Coordinate>();
        var seen = new HashSet<(long, long)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var road = model.Projection.ToMetric(r.GetFieldValue<Geometry>(0));
            for (var g = 0; g < road.NumGeometries; g++)
            {
                if (road.GetGeometryN(g) is not LineString line) continue;
                var along = new NetTopologySuite.LinearReferencing.LengthIndexedLine(line);
                for (var d = 0.0; d <= line.Length; d += spacing)
                {
                    var c = along.ExtractPoint(d);
                    if (!seen.Add(((long)Math.Round(c.X), (long)Math.Round(c.Y)))) continue;
                    for (var z = 0; z < near.Length; z++)
                    {
                        if (envelopes[z].Contains(c) && near[z].Locate(c) != Location.Exterior)
                        {
                            sites.Add(c);
                            break;
                        }
                    }
                }
            }
        }
        return sites;
    }

    private static long SubsetCount(int n, int k)
    {
        long total = 0, term = 1;
        for (var j = 1; j <= k && j <= n; j++)
        {
            term = term * (n - j + 1) / j;
            total += term;
            if (total > ExhaustiveLimit) return total;
        }
        return total;
    }

    private static double[] Lonlat(CoverageModel model, Coordinate metric)
    {
        var c = model.Projection.ToWgs84(metric.X, metric.Y);
        return [Math.Round(c.X, 7), Math.Round(c.Y, 7)];
    }

    // --- what-if scenarios -------------------------------------------------------------------------------------------

    /// <summary>Checks each change's shape; existence and scope of ids are checked against the model in <see cref="EvaluateAsync"/>.</summary>
    public static void Validate(ScenarioRequest? request, ProblemCollector problems)
    {
        if (request?.Changes is not { Count: > 0 } changes)
        {
            problems.Add("/changes", "list at least one change (add, update or remove).");
            return;
        }
        if (changes.Count > 500) problems.Add("/changes", "at most 500 changes.");
        var ids = new HashSet<long>();
        for (var i = 0; i < changes.Count && !problems.IsFull; i++)
        {
            var c = changes[i];
            var at = $"/changes/{i}";
            if (c.Op is not ("add" or "update" or "remove")) { problems.Add(at + "/op", "must be add, update or remove."); continue; }
            if (c.Op == "add" && c.Id is not null) problems.Add(at + "/id", "a new camera has no id yet; name it with ref.");
            if (c.Op != "add" && c.Id is null) problems.Add(at + "/id", $"{c.Op} needs the id of an existing camera.");
            if (c.Op != "add" && c.Id is { } id && !ids.Add(id)) problems.Add(at + "/id", $"camera {id} is changed twice; merge the changes.");
            if (c.Op == "add" && c.Location is null) problems.Add(at + "/location", "a new camera needs a location [longitude, latitude].");
            if (c.Location is not null && (c.Location is not [var lon, var lat] || !double.IsFinite(lon) || !double.IsFinite(lat) || lon is < -180 or > 180 || lat is < -90 or > 90))
                problems.Add(at + "/location", "must be [longitude, latitude] in degrees.");
            if (c.HeadingDeg is { } h && (!double.IsFinite(h) || h is < 0 or >= 360)) problems.Add(at + "/heading_deg", "must be in [0, 360).");
            if (c.FieldOfViewDeg is { } f && (!double.IsFinite(f) || f is <= 0 or > 360)) problems.Add(at + "/field_of_view_deg", "must be in (0, 360].");
            if (c.RangeM is { } r && (!double.IsFinite(r) || r is <= 0 or > CameraSpec.MaxRangeM)) problems.Add(at + "/range_m", "must be in (0, 1000] metres.");
            if (c.Kind is { } k && !WireNames.TryParse<CameraKind>(k, out _)) problems.Add(at + "/kind", "must be fixed, ptz or dome.");
            if (c.PresetHeadingsDeg is { } presets && (presets.Length is 0 or > 32 || presets.Any(p => !double.IsFinite(p) || p is < 0 or >= 360)))
                problems.Add(at + "/preset_headings_deg", "list 1–32 preset headings in [0, 360) (ptz and dome cameras only).");
        }
    }

    /// <summary>Evaluates a draft against the current coverage (nothing is saved), or returns the problems with its ids.</summary>
    public async Task<object?> EvaluateAsync(ScenarioRequest request, UserScope scope, CancellationToken ct) =>
        await coverage.ReadAsync<object>(model =>
        {
            var problems = new ProblemCollector();
            var changes = request.Changes!;
            var draft = new Dictionary<string, Geometry?>(StringComparer.Ordinal);
            var views = new List<Feature<ScenarioViewProperties>>();
            for (var i = 0; i < changes.Count; i++)
            {
                var c = changes[i];
                CameraInfo? existing = null;
                if (c.Id is { } id && (!model.Cameras.TryGetValue(id, out existing) || !scope.Allows(existing.District)))
                {
                    problems.Add($"/changes/{i}/id", $"there is no camera {id}.");
                    continue;
                }
                if (c.Op == "remove")
                {
                    draft[existing!.Key] = null;
                    continue;
                }
                var kind = c.Kind is { } k ? WireNames.Parse<CameraKind>(k) : existing?.Kind ?? CameraKind.Fixed;
                var position = c.Location is [var lon, var lat] ? model.Projection.ToMetric(lon, lat) : existing!.Spec.Position;
                var presets = kind == CameraKind.Fixed ? null : c.PresetHeadingsDeg ?? (kind == existing?.Kind ? existing.Spec.PresetHeadingsDeg : null);
                var spec = new CameraSpec(position, c.HeadingDeg ?? existing?.Spec.HeadingDeg ?? 0,
                    c.FieldOfViewDeg ?? existing?.Spec.FieldOfViewDeg ?? (kind == CameraKind.Fixed ? 90 : 360), c.RangeM ?? existing?.Spec.RangeM ?? 60, kind, presets,
                    existing?.Spec.PrivacyMasks, existing?.Spec.Status ?? CameraStatus.Online);
                var view = model.Viewshed.View(spec);
                draft[existing?.Key ?? $"draft:{i}"] = view;
                views.Add(new(i, CoverageService.Wgs84(model, view), new ScenarioViewProperties(c.Op!, existing?.Id, c.Ref, spec.HeadingDeg, CoverageService.Round(view.Area))));
            }
            if (problems.Any) return problems.ToResult();
            var after = model.Incremental.WhatIf(draft, out var affected);
            var visible = CoverageService.Visible(model, scope).ToArray();
            var before = CoverageReport.FromZones([.. visible.Select(i => model.Incremental.Zones[i])]);
            var scenario = CoverageReport.FromZones([.. visible.Select(i => after[i])]);
            var zones = affected.Where(i => scope.Allows(model.Zones[i].District))
                .Where(i => Math.Abs(after[i].CoveredM2 - model.Incremental.Zones[i].CoveredM2) > 0.01)
                .Select(i =>
                {
                    var z = model.Zones[i];
                    double b = model.Incremental.Zones[i].CoveredFraction, a = after[i].CoveredFraction;
                    return new ScenarioZone(z.Id, z.Name, z.NameEn, WireNames.Of(z.Kind), z.District, z.Target, CoverageService.Fraction(b), CoverageService.Fraction(a),
                        CoverageService.Rag(b, z.Target), CoverageService.Rag(a, z.Target));
                }).OrderByDescending(z => Math.Abs(z.After - z.Before)).ToArray();
            var kinds = before.ByKind.Keys.Union(scenario.ByKind.Keys).Order()
                .Select(k => new ScenarioKind(WireNames.Of(k), CoverageTargets.DefaultFor(k), CoverageService.Figures(before.ByKind[k]), CoverageService.Figures(scenario.ByKind[k]))).ToArray();
            return new ScenarioResponse(coverage.Version, CoverageService.Figures(before.Total), CoverageService.Figures(scenario.Total), kinds, zones, views);
        }, ct);
}
