using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using SituationMap.Analysis.Coverage;
using SituationMap.Server.Cameras;
using SituationMap.Server.Live;
using SituationMap.Server.Zones;

namespace SituationMap.Server.Coverage;

/// <summary>
/// Keeps coverage live. Camera changes (edits, moves, status changes, deletions) from the change feed are applied
/// incrementally — only the zones the camera's old or new view touches are recomputed — and those zones are pushed
/// (CoverageUpdated) to city-wide accounts with the new totals, and to each district's accounts restricted to that
/// district's zones. Zone changes and bulk reloads rebuild the model (cause "rebuilt"), as does RebuildInterval when
/// incidents changed (incident-weighted figures). Changes arriving together are applied as one batch.
/// </summary>
public sealed class CoverageUpdater(CoverageService coverage, ChangeFeed feed, IHubContext<LiveHub, ILiveClient> hub, Cluster.ClusterLeadership leadership, ILogger<CoverageUpdater> logger)
    : BackgroundService, IChangeObserver
{
    private readonly Channel<(string Layer, string Kind, long Id)> _changes = Channel.CreateUnbounded<(string, string, long)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Rebuild the model soon (e.g. building footprints were imported: they are not in the change log).</summary>
    public void RequestRebuild() => _changes.Writer.TryWrite((ZoneLayer.Name, "reloaded", 0));

    public void Observe(ChangeEvent change)
    {
        if (change.Layer == CameraLayer.Name || change.Layer == ZoneLayer.Name) _changes.Writer.TryWrite((change.Layer, change.Change.Kind, change.Change.Id));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await feed.Started.WaitAsync(stoppingToken);
        try
        {
            await coverage.ReadAsync(m => m, stoppingToken); // warm up: the first report should not wait for the build
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Building the coverage model failed; it will be built at the first request.");
        }
        var builtAtIncidents = feed.IncidentsVersion;
        var lastBuild = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            tick.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await _changes.Reader.WaitToReadAsync(tick.Token); // then everything queued meanwhile is applied together
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // no change for 30 s: time to check whether incidents call for a rebuild
            }
            var cameras = new HashSet<long>();
            var rebuild = false;
            while (_changes.Reader.TryRead(out var change))
            {
                if (change.Layer == ZoneLayer.Name || change.Kind == "reloaded") rebuild = true;
                else cameras.Add(change.Id);
            }
            if (!rebuild && DateTimeOffset.UtcNow - lastBuild > coverage.Options.RebuildInterval && feed.IncidentsVersion != builtAtIncidents) rebuild = true;
            if (!rebuild && cameras.Count == 0) continue;
            try
            {
                if (rebuild)
                {
                    builtAtIncidents = feed.IncidentsVersion;
                    lastBuild = DateTimeOffset.UtcNow;
                    await coverage.RebuildAsync(stoppingToken);
                    await PushAsync("rebuilt", [], stoppingToken);
                }
                else if (await coverage.ApplyCameraChangesAsync(cameras, stoppingToken) is { Count: > 0 } zones)
                {
                    await PushAsync("cameras", zones, stoppingToken); // cameras that reach no zone change nothing to tell
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Updating coverage failed; rebuilding at the next change.");
                RequestRebuild();
            }
        }
    }

    private async Task PushAsync(string cause, IReadOnlyList<int> zones, CancellationToken ct)
    {
        if (!leadership.SendsNotices) return; // the leader tells every node's clients through the backplane
        var notices = await coverage.ReadAsync(model =>
        {
            var rows = zones.Select(i => (model.Zones[i].District, Row: CoverageService.Row(model.Zones[i], model.Incremental.Zones[i]))).ToArray();
            var total = CoverageService.Figures(model.Incremental.Report().Total);
            var cityWide = new CoverageUpdated(coverage.Version, coverage.ComputedAt, cause, [.. rows.Select(r => r.Row)], total);
            var byDistrict = rows.Where(r => r.District is not null).GroupBy(r => r.District!)
                .Select(g => (g.Key, new CoverageUpdated(coverage.Version, coverage.ComputedAt, cause, [.. g.Select(r => r.Row)], null))).ToList();
            return new { cityWide, byDistrict };
        }, ct);
        if (notices is null) return;
        if (cause == "rebuilt")
        {
            // everyone refetches; the notice tells nothing but that coverage was rebuilt
            await hub.Clients.All.CoverageUpdated(notices.cityWide with { Zones = [], Total = null });
            return;
        }
        await hub.Clients.Group(LiveHub.CityWideGroup).CoverageUpdated(notices.cityWide);
        foreach (var (district, notice) in notices.byDistrict) await hub.Clients.Group(LiveHub.DistrictGroup(district)).CoverageUpdated(notice);
    }
}
