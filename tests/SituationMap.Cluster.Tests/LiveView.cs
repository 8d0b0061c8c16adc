using SituationMap.Server.Live;

namespace SituationMap.Cluster.Tests;

/// <summary>
/// What a client subscribes to (layers, bbox, margin) and the account's districts (null = all), with this test's own
/// reading of the protocol: which change-log rows the client must receive, and as what kind. Written independently of
/// the server's LiveFilter: layer listed; bbox widened by margin_ratio of its width/height on each side and
/// intersecting the row's bounding box (rows without one match everywhere); for a district-scoped account, a change
/// whose feature is (now) in one of its districts, or — as a deletion — one whose feature was in them before.
/// </summary>
public sealed record LiveView(string[] Layers, double[]? Bbox = null, double MarginRatio = 0.25, string[]? Districts = null)
{
    public LiveSubscription Subscription(long since) => new(Bbox, Layers, since, Bbox is null ? null : MarginRatio);

    /// <summary>The kind the client must receive for this row, or null when it must receive nothing.</summary>
    public string? Expect(ChangeLogRow row)
    {
        if (!Layers.Contains(row.Layer)) return null;
        if (Bbox is { } b && row.MinX is { } minX)
        {
            var dx = (b[2] - b[0]) * MarginRatio;
            var dy = (b[3] - b[1]) * MarginRatio;
            var (aMinX, aMaxX, aMinY, aMaxY) = (b[0] - dx, b[2] + dx, b[1] - dy, b[3] + dy);
            if (minX > aMaxX || row.MaxX < aMinX || row.MinY > aMaxY || row.MaxY < aMinY) return null;
        }
        if (Districts is null || row.Kind == "reloaded") return row.Kind;
        if (row.Kind != "deleted" && row.NewDistrict is not null && Districts.Contains(row.NewDistrict)) return row.Kind;
        if (row.OldDistrict is not null && Districts.Contains(row.OldDistrict)) return "deleted";
        return null;
    }

    public override string ToString() =>
        $"layers [{string.Join(",", Layers)}]" + (Bbox is null ? "" : $" bbox [{string.Join(",", Bbox)}]") +
        (Districts is null ? "" : $" districts [{string.Join(",", Districts)}]");
}
