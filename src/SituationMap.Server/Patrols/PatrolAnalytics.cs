using System.Text.Json;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;
using SituationMap.Server.Accounts;
using SituationMap.Server.Hotspots;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Routing;
using SituationMap.Server.Situation;

namespace SituationMap.Server.Patrols;

/// <summary>
/// The patrol side of the three-level patrol control, computed on the road network (<see cref="RoadNetwork"/>) and the
/// current hot spots (<see cref="HotspotService"/>: Gi* with FDR on 250 m hexagons over the last <c>days</c> days; hot
/// cells are those with a significant positive z, their priority is z): routes with units and rule problems, hot-spot
/// reach of each level's routes, dosage (time in hot cells, 10–15 minute visits) and street visibility from unit
/// tracks, route adherence of a unit, and patrol-loop suggestions. All geometry work happens in the road network's UTM
/// plane; the district scope of the account limits routes, units, tracks and hot cells alike.
/// </summary>
public sealed class PatrolAnalytics(NpgsqlDataSource dataSource, RoadNetwork network, HotspotService hotspots, IOptions<SituationOptions> situation,
    TimeProvider clock)
{
    /// <summary>A unit within this distance of its route is on it.</summary>
    public const double OnRouteM = 50;

    public const int DefaultDays = 28;

    private sealed record RouteRow(long Id, string Name, PatrolLevel Level, PatrolMode Mode, PatrolRouteStatus Status, string? District,
        MultiLineString Geometry, List<ShiftWindow> Shifts);

    private sealed record HotCell(long Id, Polygon Area, double Z, int Bin);

    public async Task<PatrolOverview> OverviewAsync(UserScope scope, CancellationToken ct)
    {
        var routes = await RoutesAsync(scope, activeOnly: false, ct);
        var snapshot = await network.GetAsync(ct);
        var projection = snapshot?.Projection ?? (routes.Count > 0 ? MetricProjection.ForExtent(routes[0].Geometry.EnvelopeInternal) : null);
        var units = new List<(long Id, string CallSign, PatrolUnitStatus Status, long RouteId, Point? Position)>();
        await using (var cmd = dataSource.CreateCommand(
            "SELECT id, call_sign, status, route_id, geom FROM patrol_units WHERE route_id IS NOT NULL AND ($1::text[] IS NULL OR district = ANY ($1)) ORDER BY call_sign"))
        {
            cmd.Parameters.Add(Districts(scope));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                units.Add((r.GetInt64(0), r.GetString(1), WireNames.Parse<PatrolUnitStatus>(r.GetString(2)), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetFieldValue<Point>(4)));
            }
        }
        var districtAreas = await DistrictAreasAsync(routes.Select(r => r.District).OfType<string>().Distinct().ToArray(), ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(situation.Value.TimeZone);
        var localNow = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime;
        var result = new List<RouteOverview>();
        foreach (var route in routes)
        {
            var metric = projection!.ToMetric(route.Geometry);
            var area = route.District is { } d && districtAreas.TryGetValue(d, out var a) ? projection.ToMetric(a) : null;
            var problems = RouteValidation.Validate(new PatrolRoutePlan(metric, route.Level, route.Mode, route.Shifts, Largest(area)), snapshot?.Graph);
            var routeUnits = units.Where(u => u.RouteId == route.Id).Select(u =>
            {
                double? distance = u.Position is null ? null : Math.Round(metric.Distance(projection.Factory.CreatePoint(projection.ToMetric(u.Position.X, u.Position.Y))), 1);
                return new RouteUnit(u.Id, u.CallSign, u.Status, distance, distance is null ? null : distance <= OnRouteM);
            }).ToList();
            var length = RouteValidation.LoopLengthM(metric);
            result.Add(new RouteOverview(route.Id, route.Name, route.Level, route.Mode, route.Status, route.District, Math.Round(metric.Length, 1),
                Math.Round(length / PatrolSpeeds.Nominal(route.Mode) / 60, 1), route.Shifts.Any(w => w.Covers(localNow)), route.Shifts,
                [.. problems.Select(p => new RouteProblemRow(p.Code, p.Message))], routeUnits));
        }
        return new PatrolOverview(clock.GetUtcNow(), [.. result.OrderBy(r => r.Level).ThenBy(r => r.Name, StringComparer.Ordinal)]);
    }

    /// <summary>The largest polygon of a district (routes are checked against the part they patrol in).</summary>
    private static Polygon? Largest(Geometry? area) => area is null ? null :
        Enumerable.Range(0, area.NumGeometries).Select(area.GetGeometryN).OfType<Polygon>().MaxBy(p => p.Area);

    public async Task<HotspotCoverageResponse?> HotspotCoverageAsync(double minutes, int days, UserScope scope, CancellationToken ct)
    {
        var snapshot = await network.GetAsync(ct);
        if (snapshot is null) return null;
        var cells = await HotCellsAsync(days, scope, ct);
        var routes = await RoutesAsync(scope, activeOnly: true, ct);
        var projection = snapshot.Projection;
        var targets = cells.Select(c => new HotCellTarget(Id(c.Id), projection.ToMetric(c.Area).Centroid.Coordinate, c.Z)).ToList();
        var lines = routes.Select(r => new PatrolRouteLine(Id(r.Id), r.Level, r.Mode, projection.ToMetric(r.Geometry))).ToList();
        var report = HotspotReach.Compute(snapshot.Graph, targets, lines, minutes * 60);
        var unreached = report.ReachedByNoLevel.ToHashSet(StringComparer.Ordinal);
        var levels = report.Levels.Select(l => new LevelCoverage(l.Level, l.RouteCount, l.CellsReached.Count, l.TotalCells, Math.Round(l.Share, 4), Math.Round(l.PriorityShare, 4))).ToList();
        var features = cells.Where(c => unreached.Contains(Id(c.Id))).Select(c => new Feature<HotCellProperties>(c.Id, c.Area, new HotCellProperties(c.Id, c.Z, c.Bin))).ToList();
        return new HotspotCoverageResponse(clock.GetUtcNow(), minutes, days, cells.Count, levels, new HotCellCollection(features));
    }

    public async Task<DosageResponse?> DosageAsync(DateTimeOffset? from, DateTimeOffset? to, int days, UserScope scope, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? situation.Value.CurrentShiftStart(end);
        if (start >= end) start = end.AddHours(-8);
        var snapshot = await network.GetAsync(ct);
        if (snapshot is null) return null;
        var projection = snapshot.Projection;
        var cells = await HotCellsAsync(days, scope, ct);
        var callSigns = new Dictionary<long, string>();
        var fixes = new Dictionary<long, List<TrackFix>>();
        await using (var cmd = dataSource.CreateCommand(
            "SELECT p.unit_id, u.call_sign, p.recorded_at, p.geom FROM unit_positions p JOIN patrol_units u ON u.id = p.unit_id " +
            "WHERE p.recorded_at >= $2 AND p.recorded_at < $3 AND ($1::text[] IS NULL OR u.district = ANY ($1)) ORDER BY p.unit_id, p.recorded_at"))
        {
            cmd.Parameters.Add(Districts(scope));
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = start - PatrolDosage.DefaultMaxGap });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = end + PatrolDosage.DefaultMaxGap });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var unit = r.GetInt64(0);
                callSigns.TryAdd(unit, r.GetString(1));
                if (!fixes.TryGetValue(unit, out var list)) fixes[unit] = list = [];
                var p = r.GetFieldValue<Point>(3);
                var c = projection.ToMetric(p.X, p.Y);
                list.Add(new TrackFix(c.X, c.Y, r.GetFieldValue<DateTimeOffset>(2)));
            }
        }
        var tracks = fixes.Select(f => new UnitTrack(Id(f.Key), f.Value)).ToList();
        var shift = new ShiftPeriod(start, end);
        var dosage = PatrolDosage.Compute(tracks, [.. cells.Select(c => new HotCellArea(Id(c.Id), projection.ToMetric(c.Area)))], shift);
        var districtRows = await DistrictAreasAsync(scope.DistrictArray, ct);
        var names = await DistrictNamesAsync(ct);
        var areas = districtRows.SelectMany(d => Enumerable.Range(0, d.Value.NumGeometries).Select(i => new DistrictArea(d.Key, (Polygon)projection.ToMetric(d.Value).GetGeometryN(i)))).ToList();
        var visibility = StreetVisibility.Compute(snapshot.Graph, null, areas, tracks, shift);
        var byDistrict = visibility.Districts.GroupBy(d => d.District, StringComparer.Ordinal).Select(g =>
        {
            var (road, patrolled) = (g.Sum(x => x.RoadLengthM), g.Sum(x => x.PatrolledLengthM));
            return new DistrictVisibilityRow(g.Key, names.GetValueOrDefault(g.Key), Math.Round(road, 1), Math.Round(patrolled, 1), road > 0 ? Math.Round(patrolled / road, 4) : 0);
        }).OrderBy(d => d.District, StringComparer.Ordinal).ToList();
        return new DosageResponse(start, end, tracks.Count, cells.Count, Math.Round(dosage.HotSeconds, 1), Math.Round(dosage.ShareOfShift, 4),
            [.. dosage.Cells.Where(c => c.Seconds > 0).OrderByDescending(c => c.Seconds).Select(c => new CellDosageRow(long.Parse(c.CellId, System.Globalization.CultureInfo.InvariantCulture),
                Math.Round(c.Seconds, 1), c.Visits.Count, c.ShortVisits, c.EffectiveVisits, c.LongVisits))],
            [.. dosage.Units.Select(u => new UnitDosageRow(long.Parse(u.UnitId, System.Globalization.CultureInfo.InvariantCulture), callSigns[long.Parse(u.UnitId, System.Globalization.CultureInfo.InvariantCulture)],
                Math.Round(u.TrackedSeconds, 1), Math.Round(u.HotSeconds, 1), Math.Round(u.ShareOfShift, 4)))],
            new VisibilityResponse(visibility.RoadLengthM > 0 ? Math.Round(visibility.PatrolledLengthM / visibility.RoadLengthM, 4) : 0,
                Math.Round(visibility.RoadLengthM, 1), Math.Round(visibility.PatrolledLengthM, 1), byDistrict));
    }

    public async Task<(SuggestResponse? Result, IResult? Problem)> SuggestAsync(SuggestRequest request, int days, UserScope scope, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var minutes = request.Minutes ?? 120;
        var dwell = request.DwellMinutes ?? 12;
        if (!double.IsFinite(minutes) || minutes is < 10 or > 720) problems.Add("/minutes", "must be between 10 and 720 (the shift length).");
        if (!double.IsFinite(dwell) || dwell is < 0 or > 60) problems.Add("/dwell_minutes", "must be between 0 and 60.");
        if (request.UnitId is not null && request.Start is not null) problems.Add("/start", "give unit_id or start, not both.");
        if (request.UnitId is null && request.Start is null) problems.Add("/unit_id", "give the unit (unit_id) or a start point (start: [lon, lat]) with a mode.");
        if (request.Start is { } s && (s.Length != 2 || !double.IsFinite(s[0]) || !double.IsFinite(s[1]) || s[0] is < -180 or > 180 || s[1] is < -90 or > 90))
        {
            problems.Add("/start", "must be [longitude, latitude] in degrees.");
        }
        if (request.Start is not null && request.Mode is null) problems.Add("/mode", "is required with start: vehicle, bicycle or foot.");
        if (problems.Any) return (null, problems.ToResult());
        var (start, mode) = (request.Start, request.Mode);
        if (request.UnitId is { } unitId)
        {
            await using var cmd = dataSource.CreateCommand("SELECT geom, mode FROM patrol_units WHERE id = $1 AND ($2::text[] IS NULL OR district = ANY ($2))");
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unitId });
            cmd.Parameters.Add(Districts(scope));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return (null, ApiProblems.Single("/unit_id", $"there is no patrol unit {unitId}."));
            if (r.IsDBNull(0)) return (null, ApiProblems.Single("/unit_id", $"unit {unitId} has not reported a position; give a start point."));
            var p = r.GetFieldValue<Point>(0);
            start = [p.X, p.Y];
            mode ??= WireNames.Parse<PatrolMode>(r.GetString(1));
        }
        var snapshot = await network.GetAsync(ct);
        if (snapshot is null) return (null, ApiProblems.Problem(StatusCodes.Status404NotFound, "no-roads", "There is no road network.", "The roads layer is empty."));
        var travel = mode!.Value.ToTravelMode();
        var projection = snapshot.Projection;
        var origin = projection.ToMetric(start![0], start[1]);
        if (snapshot.Graph.Snap(origin, travel, RoadNetworkSnapshot.MaxSnapM) is null)
        {
            return (null, ApiProblems.Single(request.UnitId is null ? "/start" : "/unit_id", $"is more than {RoadNetworkSnapshot.MaxSnapM:0} m from any road usable by {WireNames.Of(mode.Value)}."));
        }
        var cells = await HotCellsAsync(days, scope, ct);
        var targets = cells.Select(c => new HotCellTarget(Id(c.Id), projection.ToMetric(c.Area).Centroid.Coordinate, c.Z)).ToList();
        var loop = RouteSuggestion.Suggest(snapshot.Hierarchy(travel), origin, targets, minutes * 60, dwell * 60);
        var stops = loop.Stops.Select(st =>
        {
            var c = projection.ToWgs84(st.Position.X, st.Position.Y);
            return new SuggestedStopRow(long.Parse(st.CellId, System.Globalization.CultureInfo.InvariantCulture), Math.Round(st.Priority, 3),
                [Math.Round(c.X, 7), Math.Round(c.Y, 7)], Math.Round(st.ArrivalSeconds, 1));
        }).ToList();
        return (new SuggestResponse(mode.Value, minutes * 60, Math.Round(loop.TravelSeconds, 1), Math.Round(loop.DwellSeconds, 1), Math.Round(loop.TotalSeconds, 1),
            Math.Round(loop.CollectedPriority, 3), targets.Count, stops, snapshot.ToWgs84(loop.Geometry),
            [.. loop.Unreachable.Select(u => long.Parse(u, System.Globalization.CultureInfo.InvariantCulture))]), null);
    }

    public async Task<(DeviationResponse? Result, IResult? Problem)> DeviationAsync(long unitId, DateTimeOffset? from, DateTimeOffset? to, UserScope scope, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? situation.Value.CurrentShiftStart(end);
        if (start >= end) return (null, ApiProblems.Single("?from", "must be before ?to."));
        long? routeId;
        await using (var cmd = dataSource.CreateCommand("SELECT route_id FROM patrol_units WHERE id = $1 AND ($2::text[] IS NULL OR district = ANY ($2))"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unitId });
            cmd.Parameters.Add(Districts(scope));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return (null, ApiProblems.NotFound(PatrolUnitLayer.Name, unitId));
            routeId = r.IsDBNull(0) ? null : r.GetInt64(0);
        }
        if (routeId is null)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status409Conflict, "no-route", "The unit has no route.",
                $"Unit {unitId} is not assigned to a patrol route: set its route_id first."));
        }
        MultiLineString route;
        await using (var cmd = dataSource.CreateCommand("SELECT geom FROM patrol_routes WHERE id = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = routeId.Value });
            route = (MultiLineString)(await cmd.ExecuteScalarAsync(ct))!;
        }
        var projection = (await network.GetAsync(ct))?.Projection ?? MetricProjection.ForExtent(route.EnvelopeInternal);
        var fixes = new List<TrackFix>();
        await using (var cmd = dataSource.CreateCommand("SELECT recorded_at, geom FROM unit_positions WHERE unit_id = $1 AND recorded_at >= $2 AND recorded_at < $3 ORDER BY recorded_at"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unitId });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = start - PatrolDosage.DefaultMaxGap });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = end });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var p = r.GetFieldValue<Point>(1);
                var c = projection.ToMetric(p.X, p.Y);
                fixes.Add(new TrackFix(c.X, c.Y, r.GetFieldValue<DateTimeOffset>(0)));
            }
        }
        var report = RouteDeviation.Compute(new UnitTrack(Id(unitId), fixes), projection.ToMetric(route), new ShiftPeriod(start, end));
        return (new DeviationResponse(unitId, routeId.Value, start, end, RouteDeviation.DefaultThresholdM, Math.Round(report.TrackedSeconds, 1),
            Math.Round(report.OnRouteSeconds, 1), Math.Round(report.OffRouteSeconds, 1), Math.Round(report.ShareOfTrackedOnRoute, 4),
            [.. report.OffRoute.Select(o => new OffRouteRow(o.Start, o.End, Math.Round(o.Seconds, 1), Math.Round(o.MaxDistanceM, 1)))],
            report.Fixes.Count == 0 ? null : Math.Round(report.Fixes[^1].DistanceM, 1)), null);
    }

    private async Task<List<RouteRow>> RoutesAsync(UserScope scope, bool activeOnly, CancellationToken ct)
    {
        var routes = new List<RouteRow>();
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, name, level, mode, status, district, geom, shift_windows::text FROM patrol_routes " +
            "WHERE ($1::text[] IS NULL OR district = ANY ($1)) AND (NOT $2 OR status = 'active') ORDER BY id");
        cmd.Parameters.Add(Districts(scope));
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = activeOnly });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            routes.Add(new RouteRow(r.GetInt64(0), r.GetString(1), (PatrolLevel)r.GetInt16(2), WireNames.Parse<PatrolMode>(r.GetString(3)),
                WireNames.Parse<PatrolRouteStatus>(r.GetString(4)), r.IsDBNull(5) ? null : r.GetString(5), r.GetFieldValue<MultiLineString>(6),
                JsonSerializer.Deserialize<List<ShiftWindow>>(r.GetString(7), ApiJson.Options) ?? []));
        }
        return routes;
    }

    /// <summary>The current hot cells: Gi* (FDR) hot spots at any confidence on 250 m hexagons over the last days.</summary>
    /// <remarks>The window ends at the start of the current minute, so the panel's requests within a minute share the
    /// hotspot service's cached Gi* map instead of recomputing it each time.</remarks>
    private async Task<List<HotCell>> HotCellsAsync(int days, UserScope scope, CancellationToken ct)
    {
        var clockNow = clock.GetUtcNow();
        var now = new DateTimeOffset(clockNow.Ticks - (clockNow.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var map = await hotspots.GiStarAsync(new IncidentSelection(now.AddDays(-days), now, null, scope), "hex", 250, 250 * 1.01, true, ct);
        if (map is null) return [];
        return [.. map.Features.Where(f => f.Properties.Bin > 0 && f.Geometry is Polygon).Select(f => new HotCell(f.Id, (Polygon)f.Geometry!, f.Properties.Z ?? 0, f.Properties.Bin!.Value))];
    }

    private async Task<Dictionary<string, Geometry>> DistrictAreasAsync(string[]? codes, CancellationToken ct)
    {
        var result = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        await using var cmd = dataSource.CreateCommand("SELECT code, geom FROM districts WHERE $1::text[] IS NULL OR code = ANY ($1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)codes ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) result[r.GetString(0)] = r.GetFieldValue<Geometry>(1);
        return result;
    }

    private async Task<Dictionary<string, string>> DistrictNamesAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var cmd = dataSource.CreateCommand("SELECT code, name FROM districts");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) result[r.GetString(0)] = r.GetString(1);
        return result;
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static NpgsqlParameter Districts(UserScope scope) =>
        new() { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
