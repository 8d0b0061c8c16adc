using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;
using SituationMap.Server.Audit;
using SituationMap.Server.Dispatch;
using SituationMap.Server.Districts;
using SituationMap.Server.Incidents;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Patrols;
using SituationMap.Server.Routing;

namespace SituationMap.Server.Demo;

/// <summary>Configuration section "Demo".</summary>
public sealed class DemoOptions
{
    /// <summary>Simulate a living city (scripts/run.sh switches it on): units patrol, incidents come in, statuses move.</summary>
    public bool Activity { get; set; }

    public TimeSpan UnitInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan IncidentInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a simulated incident stays in a status before the simulator moves it on.</summary>
    public TimeSpan IncidentStepAfter { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Synthetic activity for the demo, written through the same paths as real clients (AVL ingest, dispatch, EF Core with
/// the layer rules), so the live map has something to show. Simulated incidents have source "demo-sim" and say so.
/// Units on duty patrol the nearest route of their level and mode at the speed of their mode; a new incident appears
/// at a plausible place (near a recent one) every IncidentInterval on average; the simulator then sends the unit with
/// the shortest ETA (<see cref="DispatchService"/>, as a dispatcher would), drives it along its road route to the
/// incident (which goes on scene when it arrives), resolves and closes the incident a little later, and the released
/// unit goes back to patrolling from where it is. Units that a person dispatches are driven to their incident too.
/// Off unless Demo:Activity is true.
/// </summary>
public sealed class DemoActivity(IServiceScopeFactory scopes, RoadNetwork roads, DispatchService dispatch, Cluster.ClusterLeadership leadership,
    Microsoft.Extensions.Options.IOptions<DemoOptions> options, ILogger<DemoActivity> logger)
    : BackgroundService
{
    private const string Source = "demo-sim";
    private readonly Random _random = new(20261125);
    private readonly Dictionary<long, Trip> _trips = [];
    private List<(long Id, PatrolLevel Level, PatrolMode Mode, RouteWalker Walker)> _walkers = [];
    private MetricProjection? _projection;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Activity) return;
        logger.LogInformation("Demo activity is on: units patrol, incidents are simulated (source '{Source}') and dispatched.", Source);
        using var actor = AuditActor.Job("demo");
        var patrols = new Dictionary<long, Patrol>();
        var nextIncident = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(options.Value.UnitInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!leadership.IsLeader)
            {
                // one simulator per cluster: the leader's; another node takes over (from the database) if it goes
                patrols.Clear();
                _trips.Clear();
                continue;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SituationMapDb>();
                if (patrols.Count == 0) patrols = await PlanPatrolsAsync(db, stoppingToken);
                await FollowAssignmentsAsync(db, patrols, stoppingToken);
                await MoveUnitsAsync(db, patrols, stoppingToken);
                if (DateTimeOffset.UtcNow >= nextIncident)
                {
                    await ReportIncidentAsync(db, stoppingToken);
                    await AdvanceIncidentAsync(db, stoppingToken);
                    nextIncident = DateTimeOffset.UtcNow + (options.Value.IncidentInterval * (0.5 + _random.NextDouble()));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Demo activity step failed; trying again.");
                patrols.Clear();
                _trips.Clear();
            }
        }
    }

    private sealed record Patrol(long UnitId, RouteWalker Walker, MetricProjection Projection, double Speed, bool Forward)
    {
        public double Distance { get; set; }
    }

    /// <summary>A unit driving to its incident along its road route (metric line of this simulator's projection).</summary>
    private sealed record Trip(long UnitId, long IncidentId, RouteWalker Walker, double Speed)
    {
        public double Distance { get; set; }

        public bool Arrived => Distance >= Walker.Length;
    }

    private async Task<Dictionary<long, Patrol>> PlanPatrolsAsync(SituationMapDb db, CancellationToken ct)
    {
        var routes = await db.PatrolRoutes.AsNoTracking().Where(r => r.Status == PatrolRouteStatus.Active).ToListAsync(ct);
        var units = await db.PatrolUnits.AsNoTracking().Where(u => u.Position != null && u.Status != PatrolUnitStatus.OffDuty).ToListAsync(ct);
        var result = new Dictionary<long, Patrol>();
        if (routes.Count == 0) return result;
        var projection = _projection = MetricProjection.ForExtent(routes[0].Geometry.EnvelopeInternal);
        _walkers = [.. routes.Select(r => (r.Id, r.Level, r.Mode, new RouteWalker(RouteWalker.MainLine(projection.ToMetric(r.Geometry)))))];
        foreach (var unit in units) result[unit.Id] = PatrolFrom(unit);
        return result;
    }

    /// <summary>Patrol the unit's route (else the nearest active route of its level and mode) from where the unit is.</summary>
    private Patrol PatrolFrom(PatrolUnit unit)
    {
        var at = _projection!.ToMetric(unit.Position!.X, unit.Position.Y);
        var assigned = _walkers.Where(w => w.Id == unit.RouteId).Select(w => w.Walker).ToList();
        var candidates = assigned.Count > 0 ? assigned
            : _walkers.Where(w => w.Level == unit.Level && w.Mode == unit.Mode).Select(w => w.Walker).DefaultIfEmpty(_walkers[0].Walker);
        var walker = RouteWalker.NearestTo(candidates, at);
        return new Patrol(unit.Id, walker, _projection, PatrolSpeeds.Nominal(unit.Mode), unit.Id % 2 == 0) { Distance = walker.Locate(at) };
    }

    /// <summary>
    /// Busy units assigned to an open incident drive there (a trip along the road route, planned once); units released
    /// since the last step patrol again from where they are.
    /// </summary>
    private async Task FollowAssignmentsAsync(SituationMapDb db, Dictionary<long, Patrol> patrols, CancellationToken ct)
    {
        if (_projection is null) return;
        var busy = await db.PatrolUnits.AsNoTracking()
            .Where(u => u.Position != null && u.Status == PatrolUnitStatus.Busy && u.AssignedIncidentId != null)
            .Select(u => new { u.Id, u.Mode, u.Position, Incident = u.AssignedIncidentId!.Value }).ToListAsync(ct);
        foreach (var unitId in _trips.Keys.Where(id => busy.All(b => b.Id != id)).ToList())
        {
            _trips.Remove(unitId); // released (incident resolved or recalled) or reassigned
            var unit = await db.PatrolUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
            if (unit?.Position is not null && unit.Status != PatrolUnitStatus.OffDuty) patrols[unitId] = PatrolFrom(unit);
        }
        var network = await roads.GetAsync(ct);
        foreach (var b in busy.Where(b => !_trips.TryGetValue(b.Id, out var t) || t.IncidentId != b.Incident))
        {
            var target = await db.Incidents.AsNoTracking().Where(i => i.Id == b.Incident).Select(i => i.Location).FirstOrDefaultAsync(ct);
            if (target is null || network is null) continue;
            var mode = b.Mode.ToTravelMode();
            var (from, to) = (network.Snap(b.Position!, mode), network.Snap(target, mode));
            var route = from is null || to is null ? null : RoadRoutes.Between(network.Hierarchy(mode), from, to);
            // off the network: straight there
            var wgs84 = route is null
                ? Wgs84.Factory.CreateLineString([b.Position!.Coordinate, target.Coordinate])
                : network.ToWgs84(route.Geometry);
            var line = _projection.ToMetric(wgs84);
            if (line.Coordinates.Length < 2 || line.Length < 1) line = _projection.Factory.CreateLineString([line.Coordinates[0], line.Coordinates[0].Copy(), line.Coordinates[0].Copy()]);
            _trips[b.Id] = new Trip(b.Id, b.Incident, new RouteWalker(line), DriveSpeed(b.Mode));
            patrols.Remove(b.Id);
        }
    }

    /// <summary>Responding is faster than patrolling: vehicles drive at 12 m/s (≈ 43 km/h), teams hurry.</summary>
    private static double DriveSpeed(PatrolMode mode) => mode == PatrolMode.Vehicle ? 12 : PatrolSpeeds.Nominal(mode) * 1.3;

    private async Task MoveUnitsAsync(SituationMapDb db, Dictionary<long, Patrol> patrols, CancellationToken ct)
    {
        if (patrols.Count == 0 && _trips.Count == 0) return;
        var now = DateTimeOffset.UtcNow;
        var seconds = options.Value.UnitInterval.TotalSeconds;
        var reports = new List<PositionReport>();
        foreach (var p in patrols.Values)
        {
            if (_trips.ContainsKey(p.UnitId)) continue;
            p.Distance += (p.Forward ? 1 : -1) * p.Speed * seconds * (0.8 + (0.4 * _random.NextDouble()));
            var (metric, heading) = p.Walker.At(p.Distance, p.Forward);
            var wgs84 = p.Projection.ToWgs84(metric.X, metric.Y);
            reports.Add(new PositionReport(p.UnitId, null, now, Math.Round(wgs84.X, 7), Math.Round(wgs84.Y, 7), Math.Round(p.Speed, 1), Math.Round(heading, 1) % 360));
        }
        var arrived = new List<long>();
        foreach (var t in _trips.Values)
        {
            if (t.Arrived) continue; // on scene: stays put
            t.Distance = Math.Min(t.Walker.Length, t.Distance + (t.Speed * seconds));
            var (metric, heading) = t.Walker.At(t.Distance);
            var wgs84 = _projection!.ToWgs84(metric.X, metric.Y);
            reports.Add(new PositionReport(t.UnitId, null, now, Math.Round(wgs84.X, 7), Math.Round(wgs84.Y, 7), t.Arrived ? 0 : Math.Round(t.Speed, 1), Math.Round(heading, 1) % 360));
            if (t.Arrived) arrived.Add(t.IncidentId);
        }
        if (reports.Count > 0)
        {
            var (_, problem) = await PositionIngest.IngestAsync(db, new PositionBatch(reports), Accounts.UserScope.Everything, AuditActor.Current(null), ct);
            if (problem is not null) throw new InvalidOperationException("the simulated positions were refused");
        }
        foreach (var incidentId in arrived.Distinct())
        {
            var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == incidentId && i.Status == IncidentStatus.Dispatched, ct);
            if (incident is null) continue;
            incident.Status = IncidentStatus.OnScene; // the first unit there
            await db.SaveChangesAsync(ct);
        }
    }

    private static readonly (IncidentCategory Category, string Zh, string En)[] Reports =
    [
        (IncidentCategory.Dispute, "邻里纠纷", "Neighbour dispute"),
        (IncidentCategory.Traffic, "两车剐蹭", "Minor collision between two cars"),
        (IncidentCategory.PropertyTheft, "电动车被盗", "Electric scooter stolen"),
        (IncidentCategory.PublicOrder, "深夜喧哗", "Noise late at night"),
        (IncidentCategory.Fraud, "电信诈骗报案", "Telephone fraud reported"),
        (IncidentCategory.FireHazard, "垃圾桶起火", "Bin on fire"),
        (IncidentCategory.Violent, "酒后斗殴", "Drunken fight"),
        (IncidentCategory.Burglary, "商铺被撬", "Shop broken into"),
    ];

    /// <summary>A new incident near a recent one (the demo year's hotspots), a few minutes old.</summary>
    private async Task ReportIncidentAsync(SituationMapDb db, CancellationToken ct)
    {
        var skip = _random.Next(0, 500);
        var template = await db.Incidents.AsNoTracking().Where(i => i.Source == "demo").OrderByDescending(i => i.OccurredAt)
            .Skip(skip).Select(i => new { i.Location, i.Address }).FirstOrDefaultAsync(ct);
        if (template is null) return;
        var (category, zh, en) = Reports[_random.Next(Reports.Length)];
        var jitter = 0.0006;
        var incident = new Incident
        {
            Category = category,
            Severity = category is IncidentCategory.Violent or IncidentCategory.FireHazard ? 3 : 1 + _random.Next(3),
            Status = IncidentStatus.Reported,
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-_random.Next(1, 10)),
            ReportedAt = DateTimeOffset.UtcNow,
            Location = Wgs84.Point(
                Math.Round(template.Location.X + ((_random.NextDouble() - 0.5) * jitter), 7),
                Math.Round(template.Location.Y + ((_random.NextDouble() - 0.5) * jitter), 7)),
            Address = template.Address,
            Source = Source,
            ExternalId = "sim-" + Guid.NewGuid().ToString("N")[..12],
            Description = $"{zh}（模拟） / {en} (simulated)",
        };
        incident.District = await DistrictLookup.ResolveAsync(db, null, incident.Location, new ProblemCollector(), ct);
        db.Incidents.Add(incident);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Moves the oldest open simulated incident one step on: a reported one gets the unit with the shortest ETA (if any is
    /// available); a dispatched one waits for its unit to arrive (or goes on scene if nobody is driving there); on scene →
    /// resolved (which releases its units) → closed.
    /// </summary>
    private async Task AdvanceIncidentAsync(SituationMapDb db, CancellationToken ct)
    {
        var incident = await db.Incidents
            .Where(i => i.Source == Source && i.Status != IncidentStatus.Closed && i.Status != IncidentStatus.Cancelled && i.UpdatedAt < DateTimeOffset.UtcNow - options.Value.IncidentStepAfter)
            .Where(i => i.Status != IncidentStatus.Dispatched || !db.PatrolUnits.Any(u => u.AssignedIncidentId == i.Id))
            .OrderBy(i => i.UpdatedAt).FirstOrDefaultAsync(ct);
        if (incident is null) return;
        if (incident.Status == IncidentStatus.Reported)
        {
            var choices = await dispatch.OptionsAsync(incident.Id, Accounts.UserScope.Everything, 0, ct);
            if (choices?.Candidates.FirstOrDefault() is { } best)
            {
                var (_, problem) = await dispatch.AssignAsync(db, incident.Id, new DispatchRequest(best.UnitId), Accounts.UserScope.Everything, AuditActor.Current(null), ct);
                if (problem is null) return;
            }
            return; // nobody free (or someone else was quicker): try again later
        }
        incident.Status = incident.Status switch
        {
            IncidentStatus.Dispatched => IncidentStatus.OnScene,
            IncidentStatus.OnScene => IncidentStatus.Resolved,
            _ => IncidentStatus.Closed,
        };
        await db.SaveChangesAsync(ct);
    }
}

public static class DemoSetup
{
    public static IServiceCollection AddDemoActivity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoOptions>(configuration.GetSection("Demo"));
        services.AddHostedService<DemoActivity>();
        return services;
    }
}
