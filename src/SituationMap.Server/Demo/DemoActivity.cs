using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Audit;
using SituationMap.Server.Districts;
using SituationMap.Server.Incidents;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Patrols;

namespace SituationMap.Server.Demo;

/// <summary>Configuration section "Demo".</summary>
public sealed class DemoOptions
{
    /// <summary>Simulate a living city (scripts/run.sh switches it on): units patrol, incidents come in, statuses move.</summary>
    public bool Activity { get; set; }

    public TimeSpan UnitInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan IncidentInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Synthetic activity for the demo, written through the same paths as real clients (AVL ingest, EF Core with the
/// layer rules), so the live map has something to show. Simulated incidents have source "demo-sim" and say so.
/// Units on duty patrol the nearest route of their level and mode at the speed of their mode; a new incident appears
/// at a plausible place (near a recent one) every IncidentInterval on average; open incidents move on through their
/// workflow. Off unless Demo:Activity is true.
/// </summary>
public sealed class DemoActivity(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<DemoOptions> options, ILogger<DemoActivity> logger)
    : BackgroundService
{
    private const string Source = "demo-sim";
    private readonly Random _random = new(20261125);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Activity) return;
        logger.LogInformation("Demo activity is on: units patrol, incidents are simulated (source '{Source}').", Source);
        using var actor = AuditActor.Job("demo");
        var patrols = new Dictionary<long, Patrol>();
        var nextIncident = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(options.Value.UnitInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SituationMapDb>();
                if (patrols.Count == 0) patrols = await PlanPatrolsAsync(db, stoppingToken);
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
            }
        }
    }

    private sealed record Patrol(long UnitId, RouteWalker Walker, MetricProjection Projection, double Speed, bool Forward)
    {
        public double Distance { get; set; }
    }

    private static async Task<Dictionary<long, Patrol>> PlanPatrolsAsync(SituationMapDb db, CancellationToken ct)
    {
        var routes = await db.PatrolRoutes.AsNoTracking().Where(r => r.Status == PatrolRouteStatus.Active).ToListAsync(ct);
        var units = await db.PatrolUnits.AsNoTracking().Where(u => u.Position != null && u.Status != PatrolUnitStatus.OffDuty).ToListAsync(ct);
        var result = new Dictionary<long, Patrol>();
        if (routes.Count == 0) return result;
        var projection = MetricProjection.ForExtent(routes[0].Geometry.EnvelopeInternal);
        var walkers = routes.Select(r => (r.Level, r.Mode, Walker: new RouteWalker(RouteWalker.MainLine(projection.ToMetric(r.Geometry))))).ToList();
        foreach (var unit in units)
        {
            var at = projection.ToMetric(unit.Position!.X, unit.Position.Y);
            var walker = RouteWalker.NearestTo(walkers.Where(w => w.Level == unit.Level && w.Mode == unit.Mode).DefaultIfEmpty(walkers[0]).Select(w => w.Walker), at);
            var speed = PatrolSpeeds.Nominal(unit.Mode);
            result[unit.Id] = new Patrol(unit.Id, walker, projection, speed, unit.Id % 2 == 0) { Distance = walker.Locate(at) };
        }
        return result;
    }

    private async Task MoveUnitsAsync(SituationMapDb db, Dictionary<long, Patrol> patrols, CancellationToken ct)
    {
        if (patrols.Count == 0) return;
        var now = DateTimeOffset.UtcNow;
        var reports = new List<PositionReport>();
        foreach (var p in patrols.Values)
        {
            p.Distance += (p.Forward ? 1 : -1) * p.Speed * options.Value.UnitInterval.TotalSeconds * (0.8 + (0.4 * _random.NextDouble()));
            var (metric, heading) = p.Walker.At(p.Distance, p.Forward);
            var wgs84 = p.Projection.ToWgs84(metric.X, metric.Y);
            reports.Add(new PositionReport(p.UnitId, null, now, Math.Round(wgs84.X, 7), Math.Round(wgs84.Y, 7), Math.Round(p.Speed, 1), Math.Round(heading, 1) % 360));
        }
        var (_, problem) = await PositionIngest.IngestAsync(db, new PositionBatch(reports), Accounts.UserScope.Everything, AuditActor.Current(null), ct);
        if (problem is not null) throw new InvalidOperationException("the simulated positions were refused");
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

    /// <summary>Moves the oldest open simulated incident one step on (reported → dispatched → on_scene → resolved → closed).</summary>
    private static async Task AdvanceIncidentAsync(SituationMapDb db, CancellationToken ct)
    {
        var incident = await db.Incidents
            .Where(i => i.Source == Source && i.Status != IncidentStatus.Closed && i.Status != IncidentStatus.Cancelled && i.ReportedAt < DateTimeOffset.UtcNow.AddMinutes(-1))
            .OrderBy(i => i.UpdatedAt).FirstOrDefaultAsync(ct);
        if (incident is null) return;
        incident.Status = incident.Status switch
        {
            IncidentStatus.Reported => IncidentStatus.Dispatched,
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
