using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Quadtree;
using NetTopologySuite.Index.Strtree;

namespace SituationMap.Analysis.Coverage;

/// <summary>
/// A coverage report kept up to date under camera edits. It holds the views by camera id (in a quadtree, which allows
/// removal) and the per-zone results; <see cref="UpdateCamera"/> replaces one camera's view and recomputes only the
/// zones whose envelope meets the old or the new view's envelope — exactly what a full <see cref="CoverageReport.Compute"/>
/// would give for those zones, since no other zone's candidate views changed. The incidents inside each zone are found
/// once, at construction.
/// <para>
/// <b>Cost:</b> construction as <see cref="CoverageReport.Compute"/>; an edit O(log Z + a · union) for the a zones it
/// touches (typically 1–4), each measured as in <see cref="CoverageReport"/>; <see cref="Report"/> O(Z) to aggregate.
/// Not thread-safe: serialise edits.
/// </para>
/// </summary>
public sealed class IncrementalCoverage
{
    private readonly CoverageZone[] _zones;
    private readonly NetTopologySuite.Geometries.Geometry[] _areas;
    private readonly Coordinate[][] _incidents;
    private readonly STRtree<int> _zoneIndex = new();
    private readonly Quadtree<ViewEntry> _viewIndex = new();
    private readonly Dictionary<string, ViewEntry> _views = new(StringComparer.Ordinal);
    private readonly ZoneCoverage[] _results;

    /// <summary>Zones, the initial views by camera id (metric polygons; null or empty = covers nothing) and incidents.</summary>
    public IncrementalCoverage(IReadOnlyList<CoverageZone> zones, IEnumerable<KeyValuePair<string, NetTopologySuite.Geometries.Geometry?>> views,
        IReadOnlyList<Coordinate>? incidents = null)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(views);
        _zones = [.. zones];
        _areas = new NetTopologySuite.Geometries.Geometry[_zones.Length];
        _incidents = new Coordinate[_zones.Length][];
        var incidentIndex = CoverageReport.IndexIncidents(incidents);
        for (var i = 0; i < _zones.Length; i++)
        {
            _zones[i].Validate();
            _areas[i] = CoverageReport.Repaired(_zones[i].Area);
            _incidents[i] = CoverageReport.IncidentsIn(_areas[i], incidentIndex);
            _zoneIndex.Insert(_areas[i].EnvelopeInternal, i);
        }
        _zoneIndex.Build();
        foreach (var (id, view) in views)
        {
            if (view is null || view.IsEmpty) continue;
            var entry = new ViewEntry(id, CoverageReport.Repaired(view));
            if (!_views.TryAdd(id, entry)) throw new ArgumentException($"Camera {id} appears twice.", nameof(views));
            _viewIndex.Insert(entry.View.EnvelopeInternal, entry);
        }
        _results = new ZoneCoverage[_zones.Length];
        Parallel.For(0, _zones.Length, Recompute);
    }

    /// <summary>Per-zone results, in the order the zones were given.</summary>
    public IReadOnlyList<ZoneCoverage> Zones => _results;

    /// <summary>Cameras that currently have a non-empty view.</summary>
    public int CameraCount => _views.Count;

    /// <summary>Zones recomputed by all edits so far.</summary>
    public long ZonesRecomputed { get; private set; }

    /// <summary>The current view of a camera, or null.</summary>
    public NetTopologySuite.Geometries.Geometry? ViewOf(string cameraId) => _views.GetValueOrDefault(cameraId)?.View;

    /// <summary>
    /// Sets (adds, moves, re-aims) or removes (null or empty view — e.g. the camera went offline) one camera's view and
    /// recomputes the zones it may affect. Returns the indexes of the zones recomputed.
    /// </summary>
    public IReadOnlyList<int> UpdateCamera(string cameraId, NetTopologySuite.Geometries.Geometry? newView)
    {
        ArgumentNullException.ThrowIfNull(cameraId);
        var affected = new SortedSet<int>();
        if (_views.Remove(cameraId, out var old))
        {
            _viewIndex.Remove(old.View.EnvelopeInternal, old);
            Touch(old.View.EnvelopeInternal);
        }
        if (newView is not null && !newView.IsEmpty)
        {
            var entry = new ViewEntry(cameraId, CoverageReport.Repaired(newView));
            _views[cameraId] = entry;
            _viewIndex.Insert(entry.View.EnvelopeInternal, entry);
            Touch(entry.View.EnvelopeInternal);
        }
        foreach (var zone in affected) Recompute(zone);
        ZonesRecomputed += affected.Count;
        return [.. affected];

        void Touch(Envelope envelope) => ZonesMeeting(envelope, affected);
    }

    /// <summary>The aggregates over the current per-zone results.</summary>
    public CoverageReport Report() => CoverageReport.FromZones(_results);

    /// <summary>
    /// What the coverage would be with some cameras' views replaced (a draft scenario: added, moved, re-aimed or removed
    /// cameras; null or empty = removed), without changing this object: the per-zone results in the zones' order, of
    /// which only the zones that the old or new views touch (<paramref name="affected"/>, zone indexes) are
    /// recomputed; the others are the current results. Equal to applying the changes with <see cref="UpdateCamera"/>.
    /// Safe to call concurrently with other <see cref="WhatIf"/> calls, not with <see cref="UpdateCamera"/>.
    /// </summary>
    public IReadOnlyList<ZoneCoverage> WhatIf(IReadOnlyDictionary<string, NetTopologySuite.Geometries.Geometry?> changes, out IReadOnlyList<int> affected)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var replaced = new List<NetTopologySuite.Geometries.Geometry>();
        var touched = new SortedSet<int>();
        foreach (var (id, view) in changes)
        {
            if (_views.GetValueOrDefault(id) is { } old) Touch(old.View.EnvelopeInternal);
            if (view is null || view.IsEmpty) continue;
            var repaired = CoverageReport.Repaired(view);
            replaced.Add(repaired);
            Touch(repaired.EnvelopeInternal);
        }
        var results = _results.ToArray();
        var zones = touched.ToArray();
        Parallel.For(0, zones.Length, k =>
        {
            var zone = zones[k];
            var env = _areas[zone].EnvelopeInternal;
            var candidates = _viewIndex.Query(env).Where(e => !changes.ContainsKey(e.Id)).Select(e => e.View)
                .Concat(replaced.Where(v => v.EnvelopeInternal.Intersects(env)));
            results[zone] = CoverageReport.Measure(_zones[zone], _areas[zone], candidates, _incidents[zone]);
        });
        affected = zones;
        return results;

        void Touch(Envelope envelope) => ZonesMeeting(envelope, touched);
    }

    /// <summary>Adds the zones whose envelope meets <paramref name="envelope"/>.</summary>
    private void ZonesMeeting(Envelope envelope, ISet<int> zones)
    {
        foreach (var zone in _zoneIndex.Query(envelope))
        {
            if (_areas[zone].EnvelopeInternal.Intersects(envelope)) zones.Add(zone);
        }
    }

    private void Recompute(int zone)
    {
        // the quadtree returns a superset; Measure filters by envelope
        var candidates = _viewIndex.Query(_areas[zone].EnvelopeInternal).Select(e => e.View);
        _results[zone] = CoverageReport.Measure(_zones[zone], _areas[zone], candidates, _incidents[zone]);
    }

    /// <summary>A view with reference identity, so removing one camera never removes another's equal geometry.</summary>
    private sealed class ViewEntry(string id, NetTopologySuite.Geometries.Geometry view)
    {
        public string Id { get; } = id;

        public NetTopologySuite.Geometries.Geometry View { get; } = view;
    }
}
