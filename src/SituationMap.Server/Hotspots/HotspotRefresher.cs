using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SituationMap.Analysis.Hotspots;
using SituationMap.Server.Accounts;
using SituationMap.Server.Live;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// Keeps the default hotspot views current: every RefreshInterval, if incidents changed, recomputes the density and the
/// Gi* map of the last 7 days (so the next request is served from the cache) and tells the live clients of city-wide
/// accounts (HotspotsRecomputed), so dashboards refetch and show when the result was computed. District-scoped
/// accounts are not told: the notice would reveal a change outside their districts; their dashboards refetch on the
/// incident events they do receive.
/// </summary>
public sealed class HotspotRefresher(HotspotService hotspots, ChangeFeed feed, IHubContext<LiveHub, ILiveClient> hub, Cluster.ClusterLeadership leadership,
    IOptions<HotspotOptions> options, TimeProvider clock, ILogger<HotspotRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await feed.Started.WaitAsync(stoppingToken);
        var seen = feed.IncidentsVersion;
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var version = feed.IncidentsVersion;
            if (version == seen || !leadership.SendsNotices) continue;
            seen = version;
            try
            {
                var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds() / 60 * 60);
                var week = new IncidentSelection(now.AddDays(-7), now, null, UserScope.Everything);
                var density = await hotspots.DensityAsync(week, KernelShape.Quartic, 50, null, false, false, stoppingToken);
                var gi = await hotspots.GiStarAsync(week, "hex", 250, 252.5, true, stoppingToken);
                if (density is not null) await hub.Clients.Group(LiveHub.CityWideGroup).HotspotsRecomputed(new HotspotsRecomputed("density", density.ComputedAt, version));
                if (gi is not null) await hub.Clients.Group(LiveHub.CityWideGroup).HotspotsRecomputed(new HotspotsRecomputed("gistar", gi.ComputedAt, version));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Recomputing the default hotspot views failed; trying again at the next change.");
            }
        }
    }
}
