using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>The operational layers a map export can draw (the basemap — districts, roads, buildings — is always drawn).</summary>
[Flags]
public enum MapLayers
{
    None = 0,
    Incidents = 1,
    Cameras = 2,
    CameraViews = 4,
    Zones = 8,
    Routes = 16,
    Units = 32,
    Default = Incidents | Cameras | Zones | Routes | Units,
}

/// <summary>
/// What to draw: a WGS84 box shown in Web Mercator (EPSG:3857, spherical) on a canvas of <see cref="Width"/> ×
/// <see cref="Height"/> pixels, the layers, and the incidents' time window and categories. The box is fitted into the
/// canvas with one scale for x and y (the shorter side of the box is widened), so the map is never distorted.
/// </summary>
public sealed record MapView(Envelope Bbox, int Width, int Height, MapLayers Layers, DateTimeOffset From, DateTimeOffset To,
    IncidentCategory[]? Categories)
{
    public const int MaxSide = 4096;
    public const double EarthRadius = 6378137.0;

    /// <summary>Web Mercator metres per pixel (the same on both axes).</summary>
    public double MetresPerPixel { get; } = Math.Max((MercatorX(Bbox.MaxX) - MercatorX(Bbox.MinX)) / Width, (MercatorY(Bbox.MaxY) - MercatorY(Bbox.MinY)) / Height);

    /// <summary>The Web Mercator coordinates of the canvas centre.</summary>
    public (double X, double Y) Centre { get; } = ((MercatorX(Bbox.MinX) + MercatorX(Bbox.MaxX)) / 2, (MercatorY(Bbox.MinY) + MercatorY(Bbox.MaxY)) / 2);

    /// <summary>The WGS84 box the canvas shows (the requested one, widened on its shorter side to the canvas's shape).</summary>
    public Envelope Shown
    {
        get
        {
            var (cx, cy) = Centre;
            var (hw, hh) = (Width * MetresPerPixel / 2, Height * MetresPerPixel / 2);
            return new Envelope(Longitude(cx - hw), Longitude(cx + hw), Latitude(cy - hh), Latitude(cy + hh));
        }
    }

    /// <summary>Ground metres per pixel at the centre (Web Mercator metres shrink by cos(latitude)).</summary>
    public double GroundMetresPerPixel => MetresPerPixel * Math.Cos(Bbox.Centre.Y * Math.PI / 180);

    public (float X, float Y) ToPixel(double mx, double my)
    {
        var (cx, cy) = Centre;
        var scale = MetresPerPixel;
        return ((float)(Width / 2.0 + (mx - cx) / scale), (float)(Height / 2.0 - (my - cy) / scale));
    }

    public static double MercatorX(double longitude) => EarthRadius * longitude * Math.PI / 180;

    public static double MercatorY(double latitude) =>
        EarthRadius * Math.Log(Math.Tan(Math.PI / 4 + Math.Clamp(latitude, -85.05112878, 85.05112878) * Math.PI / 360));

    public static double Longitude(double mx) => mx / EarthRadius * 180 / Math.PI;

    public static double Latitude(double my) => (2 * Math.Atan(Math.Exp(my / EarthRadius)) - Math.PI / 2) * 180 / Math.PI;

    /// <summary>The layer names of ?layers (comma-separated; "routes"/"patrol_routes" and "units"/"patrol_units" are the same).</summary>
    public static readonly IReadOnlyDictionary<string, MapLayers> LayerNames = new Dictionary<string, MapLayers>(StringComparer.Ordinal)
    {
        ["incidents"] = MapLayers.Incidents,
        ["cameras"] = MapLayers.Cameras,
        ["camera_views"] = MapLayers.CameraViews,
        ["zones"] = MapLayers.Zones,
        ["routes"] = MapLayers.Routes,
        ["patrol_routes"] = MapLayers.Routes,
        ["units"] = MapLayers.Units,
        ["patrol_units"] = MapLayers.Units,
    };

    /// <summary>Parses ?layers; null (the default layers) when absent, with a problem for an unknown name.</summary>
    public static MapLayers ParseLayers(string? raw, ProblemCollector problems)
    {
        if (raw is null) return MapLayers.Default;
        var layers = MapLayers.None;
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (LayerNames.TryGetValue(part, out var layer)) layers |= layer;
            else problems.Add("?layers", $"'{(part.Length > 40 ? part[..40] + "…" : part)}' is not one of: {string.Join(", ", LayerNames.Keys)}.");
        }
        return layers;
    }

    /// <summary>Checks a canvas side (?width, ?height): 16 … <see cref="MaxSide"/> pixels.</summary>
    public static int ParseSide(int? value, int fallback, string name, ProblemCollector problems)
    {
        if (value is null) return fallback;
        if (value is < 16 or > MaxSide) problems.Add("?" + name, $"must be between 16 and {MaxSide} pixels.");
        return value.Value;
    }

    /// <summary>Parses the required ?bbox; a box must have an area and stay within Web Mercator's latitudes.</summary>
    public static Envelope? ParseBbox(string? raw, ProblemCollector problems)
    {
        if (string.IsNullOrEmpty(raw))
        {
            problems.Add("?bbox", "is required: minLon,minLat,maxLon,maxLat (WGS84 degrees).");
            return null;
        }
        var box = PageQuery.ParseBbox(raw, "?bbox", problems);
        if (box is null) return null;
        if (box.Width <= 0 || box.Height <= 0)
        {
            problems.Add("?bbox", "must have an area (min < max on both axes).");
            return null;
        }
        if (box.MinY < -85.05 || box.MaxY > 85.05)
        {
            problems.Add("?bbox", "latitudes must be within ±85.05° (Web Mercator).");
            return null;
        }
        return box;
    }
}
