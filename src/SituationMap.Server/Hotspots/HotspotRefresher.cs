using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SituationMap.Analysis.Hotspots;
using SituationMap.Server.Accounts;
using SituationMap.Server.Live;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// Keeps the default hotspot views current: every RefreshInterval, if incidents changed, recomputes the density and the
/// Gi* map with the panel's default settings for the periods the dashboard opens with — the last 24 hours (the
/// dashboard's default window) and the last 7 days — exactly as the panel asks for them (the same cache keys: the
/// window ends at the current minute, every other parameter at the server's default), so the next request is served
/// from the cache; then it tells the live clients of city-wide
/// accounts (HotspotsRecomputed, per view and window), so dashboards refetch and show when the result was computed. District-scoped
/// accounts are not told: the notice would reveal a change outside their districts; their dashboards refetch on the
/// incident events they do receive.
/// </summary>
public sealed class HotspotRefresher(HotspotService hotspots, ChangeFeed feed, IHubContext<LiveHub, ILiveClient> hub, Cluster.ClusterLeadership leadership,
    IOptions<HotspotOptions> options, TimeProvider clock, ILogger<HotspotRefresher> logger) : BackgroundService
{
    /// <summary>The periods kept warm, ending now: the dashboard's default window (24 h) and the last 7 days.</summary>
    public static readonly (TimeSpan Length, string Name)[] DefaultWindows = [(TimeSpan.FromHours(24), "24h"), (TimeSpan.FromDays(7), "7d")];

    /// <summary>The density endpoint's default raster cell (HotspotsApi.Density).</summary>
    public const double DefaultDensityCellM = 50;

    /// <summary>What GET /api/hotspots/gistar uses when the panel sends only grid=hex: the same validation, so the same cache key.</summary>
    private static readonly (string Grid, double CellM, WeightsSpec Weights) GiStarDefaults =
        new CellQuery("hex", null, null, null, null, null).Validate(250, WeightsTransform.Binary, true, new Infrastructure.Problems.ProblemCollector());

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
                // the dashboard's default (24 h) first, and its clients told at once; then the 7-day view
                foreach (var (window, name) in DefaultWindows)
                {
                    var selection = new IncidentSelection(now - window, now, null, UserScope.Everything);
                    // each view is announced as soon as it is ready
                    var density = await hotspots.DensityAsync(selection, KernelShape.Quartic, DefaultDensityCellM, null, false, false, stoppingToken);
                    if (density is not null)
                        await hub.Clients.Group(LiveHub.CityWideGroup).HotspotsRecomputed(new HotspotsRecomputed("density", density.ComputedAt, version, name, selection.From, selection.To));
                    var gi = await hotspots.GiStarAsync(selection, GiStarDefaults.Grid, GiStarDefaults.CellM, GiStarDefaults.Weights, true, stoppingToken);
                    if (gi is not null)
                        await hub.Clients.Group(LiveHub.CityWideGroup).HotspotsRecomputed(new HotspotsRecomputed("gistar", gi.ComputedAt, version, name, selection.From, selection.To));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Recomputing the default hotspot views failed; trying again at the next change.");
            }
        }
    }
}
