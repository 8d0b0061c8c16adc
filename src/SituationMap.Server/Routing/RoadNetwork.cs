using System.Collections.Concurrent;
using NetTopologySuite.Geometries;
using Npgsql;
using SituationMap.Analysis.Geometry;
using SituationMap.Analysis.Routing;

namespace SituationMap.Server.Routing;

/// <summary>
/// The routable road network of the roads layer, in memory: one <see cref="RoadGraph"/> in UTM metres and a contraction
/// hierarchy per travel mode (built on first use of the mode). Built at start-up (<see cref="RoadNetworkWarmUp"/>) and
/// again when the roads table changed (roads are reference data loaded by seed/import, not in the change log: a cheap
/// signature — count, max id, sum of ids — is compared at most every <see cref="CheckInterval"/>). Snapshots are
/// immutable and shared by concurrent requests.
/// </summary>
public sealed class RoadNetwork(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<RoadNetwork> logger)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private RoadNetworkSnapshot? _current;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>The current network, or null when there are no roads.</summary>
    public async Task<RoadNetworkSnapshot?> GetAsync(CancellationToken ct)
    {
        if (_current is { } fresh && clock.GetUtcNow() - _checkedAt < CheckInterval) return fresh;
        await _lock.WaitAsync(ct);
        try
        {
            if (_current is { } again && clock.GetUtcNow() - _checkedAt < CheckInterval) return again;
            var signature = await SignatureAsync(ct);
            _checkedAt = clock.GetUtcNow();
            if (_current is { } same && same.Signature == signature) return same;
            _current = signature.Count == 0 ? null : await BuildAsync(signature, ct);
            return _current;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<(long Count, long MaxId, decimal IdSum)> SignatureAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*), coalesce(max(id), 0), coalesce(sum(id), 0) FROM roads");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetDecimal(2));
    }

    private async Task<RoadNetworkSnapshot> BuildAsync((long Count, long MaxId, decimal IdSum) signature, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var rows = new List<(LineString Geometry, string Class, bool OneWay, int? MaxSpeed, string? Name)>();
        await using (var cmd = dataSource.CreateCommand("SELECT geom, class, one_way, max_speed_kmh, coalesce(name_en, name) FROM roads ORDER BY id"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetFieldValue<LineString>(0), reader.GetString(1), reader.GetBoolean(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }
        var extent = new Envelope();
        foreach (var r in rows) extent.ExpandToInclude(r.Geometry.EnvelopeInternal);
        var projection = MetricProjection.ForExtent(extent);
        var lines = rows.Select(r => RoadLine.FromLayer(
            [.. r.Geometry.Coordinates.Select(c => projection.ToMetric(c.X, c.Y))], r.Class, r.OneWay, r.MaxSpeed, r.Name)).ToList();
        var graph = RoadGraph.Build(lines, projection);
        var snapshot = new RoadNetworkSnapshot(graph, projection, signature);
        snapshot.Hierarchy(TravelMode.Car); // the dispatch mode: ready before the first incident
        logger.LogInformation("Road network: {Roads} roads → {Nodes} nodes, {Edges} edges, car hierarchy in {Ms} ms.",
            rows.Count, graph.NodeCount, graph.EdgeCount, started.ElapsedMilliseconds);
        return snapshot;
    }
}

/// <summary>One immutable state of the road network with its lazily built hierarchies (thread-safe).</summary>
public sealed class RoadNetworkSnapshot(RoadGraph graph, MetricProjection projection, (long Count, long MaxId, decimal IdSum) signature)
{
    /// <summary>How far from a road a point may lie to be snapped onto it, metres.</summary>
    public const double MaxSnapM = 500;

    private readonly ConcurrentDictionary<TravelMode, Lazy<ContractionHierarchy>> _hierarchies = new();

    public RoadGraph Graph { get; } = graph;

    public MetricProjection Projection { get; } = projection;

    internal (long Count, long MaxId, decimal IdSum) Signature { get; } = signature;

    public ContractionHierarchy Hierarchy(TravelMode mode) =>
        _hierarchies.GetOrAdd(mode, m => new Lazy<ContractionHierarchy>(() => ContractionHierarchy.Build(Graph, m))).Value;

    /// <summary>The WGS84 point snapped to the nearest road the mode may use within <see cref="MaxSnapM"/>, or null.</summary>
    public RoadPosition? Snap(Point wgs84, TravelMode mode, double maxM = MaxSnapM) => Snap(wgs84.X, wgs84.Y, mode, maxM);

    public RoadPosition? Snap(double longitude, double latitude, TravelMode mode, double maxM = MaxSnapM) =>
        Graph.Snap(Projection.ToMetric(longitude, latitude), mode, maxM);

    /// <summary>A metric line back in WGS84, coordinates rounded to 7 decimals (≈ 1 cm).</summary>
    public LineString ToWgs84(LineString metric)
    {
        var line = Projection.ToWgs84(metric);
        foreach (var c in line.Coordinates)
        {
            c.X = Math.Round(c.X, 7);
            c.Y = Math.Round(c.Y, 7);
        }
        line.GeometryChanged();
        line.SRID = 4326;
        return line;
    }
}

/// <summary>Builds the road network at start-up so the first dispatch does not wait for it.</summary>
public sealed class RoadNetworkWarmUp(RoadNetwork network, ILogger<RoadNetworkWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await network.GetAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Building the road network failed; it will be built at the first routing request.");
        }
    }
}
