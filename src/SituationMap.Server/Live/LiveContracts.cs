using System.Text.Json;

namespace SituationMap.Server.Live;

/// <summary>
/// Hub method Subscribe's argument. bbox = [minLon, minLat, maxLon, maxLat] (WGS84; null = everywhere); the server adds
/// a margin of margin_ratio (default 0.25) of the width/height on each side. layers = the layers shown (null = all live
/// layers). since = the last sequence number the client has (from a FeatureCollection's change_seq or the last event):
/// the server first sends every matching change after it, in order, then live changes. Omit since to receive only
/// changes from now on.
/// </summary>
public sealed record LiveSubscription(double[]? Bbox, string[]? Layers, long? Since, double? MarginRatio);

/// <summary>Subscribe's answer: the change-log position when the subscription took effect, and the server node that
/// holds this connection (in a cluster; informational).</summary>
public sealed record SubscriptionAccepted(long HeadSeq, IReadOnlyList<string> Layers, string Node);

/// <summary>
/// One change. seq: its change-log sequence number (dense, increasing; per connection, events arrive in seq order
/// without gaps in what matches the subscription). kind: created | updated | deleted | moved | status_changed |
/// reloaded. feature: the GeoJSON Feature after the change, exactly as GET /api/{layer}/{id} would return it (null for
/// deleted and reloaded).
/// </summary>
public sealed record LiveChange(long Seq, string Layer, string Kind, long Id, DateTimeOffset At, JsonElement? Feature);

/// <summary>
/// Sent when the server stopped delivering to this connection. reason "too_slow": the client fell behind by more
/// than the per-connection buffer; call Subscribe again with since = your last seq. snapshot_required = true: the
/// gap is larger than the server replays (or older than the retained log): reload the layers over HTTP, then
/// Subscribe with since = the change_seq of that reload.
/// </summary>
public sealed record ResyncNotice(string Reason, long LastDeliveredSeq, bool SnapshotRequired);

/// <summary>The typed client of /hubs/live: one method per event, named as a past-tense fact.</summary>
public interface ILiveClient
{
    Task IncidentCreated(LiveChange change);

    Task IncidentUpdated(LiveChange change);

    Task IncidentDeleted(LiveChange change);

    Task CameraCreated(LiveChange change);

    Task CameraUpdated(LiveChange change);

    Task CameraStatusChanged(LiveChange change);

    Task CameraDeleted(LiveChange change);

    Task PatrolRouteCreated(LiveChange change);

    Task PatrolRouteUpdated(LiveChange change);

    Task PatrolRouteDeleted(LiveChange change);

    Task PatrolUnitCreated(LiveChange change);

    Task PatrolUnitUpdated(LiveChange change);

    Task UnitMoved(LiveChange change);

    Task PatrolUnitDeleted(LiveChange change);

    Task ZoneCreated(LiveChange change);

    Task ZoneUpdated(LiveChange change);

    Task ZoneDeleted(LiveChange change);

    Task DistrictCreated(LiveChange change);

    Task DistrictUpdated(LiveChange change);

    Task DistrictDeleted(LiveChange change);

    /// <summary>A layer was replaced wholesale (bulk load or import): reload it over HTTP.</summary>
    Task LayerReloaded(LiveChange change);

    Task ResyncRequired(ResyncNotice notice);

    /// <summary>A default hotspot view was recomputed because incidents changed: refetch it if shown.</summary>
    Task HotspotsRecomputed(Hotspots.HotspotsRecomputed notice);

    /// <summary>Coverage was recomputed after camera or zone changes: the zones that changed (those this account may
    /// see); cause "rebuilt" means refetch GET /api/coverage.</summary>
    Task CoverageUpdated(Coverage.CoverageUpdated notice);
}
