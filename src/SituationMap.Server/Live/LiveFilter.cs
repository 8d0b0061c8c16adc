using NetTopologySuite.Geometries;
using SituationMap.Server.Accounts;

namespace SituationMap.Server.Live;

/// <summary>What to do with one change for one connection.</summary>
public enum Delivery
{
    Skip,
    Deliver,

    /// <summary>The feature left the connection's districts: send the layer's deletion, nothing else.</summary>
    Remove,
}

/// <summary>
/// What one connection wants and may see: layers, an area (already widened by the margin; null = everywhere) and the
/// account's districts (null = all). A district-scoped connection never receives a feature outside its districts.
/// </summary>
public sealed record LiveFilter(IReadOnlySet<string> Layers, Envelope? Area, UserScope Scope)
{
    public static readonly LiveFilter Nothing = new(new HashSet<string>(), null, UserScope.Everything);

    /// <summary>Layer-wide events (reloaded) have no bounds and match every area.</summary>
    public Delivery Decide(ChangeEvent e)
    {
        if (!Layers.Contains(e.Layer) || (Area is not null && e.Bounds is not null && !Area.Intersects(e.Bounds))) return Delivery.Skip;
        if (!Scope.IsScoped || e.Change.Kind == "reloaded") return Delivery.Deliver;
        if (e.Change.Kind != "deleted" && Scope.Allows(e.NewDistrict)) return Delivery.Deliver;
        if (Scope.Allows(e.OldDistrict)) return e.Change.Kind == "deleted" ? Delivery.Deliver : Delivery.Remove;
        return Delivery.Skip;
    }

    public bool Matches(ChangeEvent e) => Decide(e) != Delivery.Skip;

    public static LiveFilter From(LiveSubscription s, UserScope scope)
    {
        var layers = new HashSet<string>(s.Layers ?? LiveEvents.Layers, StringComparer.Ordinal);
        if (s.Bbox is not { } b) return new LiveFilter(layers, null, scope);
        var margin = s.MarginRatio ?? 0.25;
        var (dx, dy) = ((b[2] - b[0]) * margin, (b[3] - b[1]) * margin);
        return new LiveFilter(layers, new Envelope(b[0] - dx, b[2] + dx, b[1] - dy, b[3] + dy), scope);
    }

    /// <summary>Null when the subscription is acceptable, else what is wrong with it.</summary>
    public static string? Problem(LiveSubscription? s)
    {
        if (s is null) return "a subscription object is required: {bbox, layers, since}.";
        if (s.Bbox is { } b)
        {
            if (b.Length != 4 || b.Any(v => !double.IsFinite(v))) return "bbox must be [minLon, minLat, maxLon, maxLat] (four finite numbers).";
            if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] > b[2] || b[1] > b[3])
                return "bbox must lie within [-180, -90, 180, 90] with min <= max.";
        }
        if (s.Layers is { } layers && layers.Any(l => l is null))
            return $"layers must not contain null; live layers: {string.Join(", ", LiveEvents.Layers)}.";
        if (s.Layers is { } named && named.FirstOrDefault(l => !LiveEvents.IsLayer(l)) is { } bad)
            return $"unknown layer '{bad}'; live layers: {string.Join(", ", LiveEvents.Layers)}.";
        if (s.Since is < 0) return "since must be a sequence number (0 or more).";
        if (s.MarginRatio is { } m && (!double.IsFinite(m) || m < 0 || m > 10)) return "margin_ratio must be within [0, 10].";
        return null;
    }
}
