using SkiaSharp;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>
/// Colours of a rendered map. The operational colours are the dashboard's (web/src/model/vocabulary.ts, the layer
/// modules in web/src/map/layers); <see cref="Night"/> is the dashboard's basemap (web/src/map/style.ts), <see cref="Paper"/>
/// a light variant for print (the situation brief).
/// </summary>
public sealed record MapTheme(
    string Name, SKColor Background, SKColor DistrictFill, SKColor DistrictLine, SKColor DistrictLabel, SKColor RoadCasing,
    IReadOnlyDictionary<string, SKColor> RoadColors, SKColor RoadOther, SKColor Building, SKColor BuildingLine, SKColor Text,
    SKColor TextDim, SKColor Halo, SKColor Panel, SKColor PanelLine)
{
    public static readonly IReadOnlyDictionary<string, SKColor> CategoryColors = Colors(
        ("violent", "#ff4d4f"), ("robbery", "#ff7a45"), ("burglary", "#ffa940"), ("property_theft", "#fadb14"), ("fraud", "#b37feb"),
        ("traffic", "#40a9ff"), ("public_order", "#36cfc9"), ("dispute", "#f759ab"), ("fire_hazard", "#ff9c6e"), ("other", "#a0aec0"));

    public static readonly IReadOnlyDictionary<int, SKColor> SeverityColors = new Dictionary<int, SKColor>
    {
        [1] = SKColor.Parse("#6b8fb3"),
        [2] = SKColor.Parse("#e6c229"),
        [3] = SKColor.Parse("#ff8c1a"),
        [4] = SKColor.Parse("#ff3b3b"),
    };

    public static readonly IReadOnlyDictionary<string, SKColor> CameraStatusColors = Colors(("online", "#3ddc97"), ("offline", "#7b8794"), ("fault", "#ff5c5c"));

    public static readonly IReadOnlyDictionary<string, SKColor> UnitStatusColors = Colors(("available", "#3ddc97"), ("busy", "#ff9f1a"), ("off_duty", "#7b8794"));

    /// <summary>Patrol route colours by level (1 city, 2 district, 3 community).</summary>
    public static readonly IReadOnlyDictionary<string, SKColor> RouteLevelColors = Colors(("1", "#4da3ff"), ("2", "#9b7bff"), ("3", "#2fd4c4"));

    public static readonly IReadOnlyDictionary<string, SKColor> ZoneKindColors = Colors(
        ("key_facility", "#e05d5d"), ("school", "#f2b84b"), ("crowded_public_place", "#d96bd0"), ("residential_community", "#5b9bd5"),
        ("urban_village", "#c98a4b"), ("urban_rural_fringe", "#8a9a5b"), ("mining_area", "#8c7b6b"), ("disorder_hotspot_area", "#ff6b6b"),
        ("district", "#607080"));

    public static readonly MapTheme Night = new("night",
        Background: SKColor.Parse("#0a1120"), DistrictFill: SKColor.Parse("#101b2e"), DistrictLine: SKColor.Parse("#3a5078"),
        DistrictLabel: SKColor.Parse("#7f97bd"), RoadCasing: SKColor.Parse("#070c17"),
        RoadColors: Colors(("motorway", "#60759c"), ("trunk", "#60759c"), ("primary", "#52668c"), ("secondary", "#45577a"), ("tertiary", "#3b4b68")),
        RoadOther: SKColor.Parse("#323f58"), Building: SKColor.Parse("#17243a"), BuildingLine: SKColor.Parse("#2a3b58"),
        Text: SKColor.Parse("#c4d3e8"), TextDim: SKColor.Parse("#8ea3c0"), Halo: SKColor.Parse("#070c17"),
        Panel: SKColor.Parse("#0d1626").WithAlpha(230), PanelLine: SKColor.Parse("#2a3b58"));

    public static readonly MapTheme Paper = new("paper",
        Background: SKColor.Parse("#e9edf2"), DistrictFill: SKColor.Parse("#f7f8fa"), DistrictLine: SKColor.Parse("#6d7f99"),
        DistrictLabel: SKColor.Parse("#4a5d78"), RoadCasing: SKColor.Parse("#c5ccd6"),
        RoadColors: Colors(("motorway", "#ffffff"), ("trunk", "#ffffff"), ("primary", "#ffffff"), ("secondary", "#ffffff"), ("tertiary", "#fbfcfd")),
        RoadOther: SKColor.Parse("#f4f6f8"), Building: SKColor.Parse("#dde2e9"), BuildingLine: SKColor.Parse("#c9d0da"),
        Text: SKColor.Parse("#1c2a3f"), TextDim: SKColor.Parse("#55667f"), Halo: SKColor.Parse("#ffffff"),
        Panel: SKColors.White.WithAlpha(235), PanelLine: SKColor.Parse("#b8c2cf"));

    public SKColor RoadColor(string roadClass) => RoadColors.TryGetValue(roadClass, out var c) ? c : RoadOther;

    /// <summary>An incident cell's colour: its category's when the cell has one category, else its highest severity's.</summary>
    public static SKColor IncidentColor(string? category, int severity) =>
        category is not null && CategoryColors.TryGetValue(category, out var c) ? c : SeverityColors.GetValueOrDefault(Math.Clamp(severity, 1, 4));

    private static Dictionary<string, SKColor> Colors(params (string Key, string Hex)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => SKColor.Parse(p.Hex), StringComparer.Ordinal);
}
