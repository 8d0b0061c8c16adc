using SituationMap.Server.Infrastructure.GeoJson;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// A kernel density surface as a map image: corners = [top-left, top-right, bottom-right, bottom-left] as
/// [longitude, latitude] (a MapLibre image source), image_png a data URL (transparent where density is 0), the legend
/// in incidents per km²; values (row-major from the top row, per km²) only when asked for.
/// </summary>
public sealed record DensityResult(
    string Kernel, double BandwidthM, double CellM, int Width, int Height, double[][] Corners, double MaxPerKm2,
    IReadOnlyList<LegendStop> Legend, string ImagePng, int Points, DateTimeOffset From, DateTimeOffset To,
    DateTimeOffset ComputedAt, double ComputeMs, double[]? Values);

public sealed record LegendStop(double Value, string Color, string Label);

/// <summary>One cell of a hotspot map (hexagon, square or district).</summary>
public sealed record HotspotCellProperties(
    int Cell,
    string? District,
    int Count,
    double? Z,
    double? P,
    int? Bin,
    string Class,
    double? LocalI,
    string? Quadrant,
    string? Pattern,
    double? TrendTau,
    double? TrendP);

/// <summary>
/// A hotspot map: cells with statistics, what was computed and when, and a summary of the classes. BandM: the distance
/// band when the weights are one (null for k-nearest and contiguity). GlobalMoran (LISA) and GeneralG (Gi*): the global
/// statistic over all cells with the same weights; null for the other methods or when undefined (fewer than 4 cells,
/// no variance).
/// </summary>
public sealed record HotspotMap(
    string Method, string Grid, double CellM, double? BandM, int Cells, int Points, DateTimeOffset From, DateTimeOffset To,
    DateTimeOffset ComputedAt, double ComputeMs, IReadOnlyDictionary<string, int> Classes, IReadOnlyList<Feature<HotspotCellProperties>> Features,
    IReadOnlyDictionary<string, object?> Parameters, GlobalMoranSummary? GlobalMoran = null, GeneralGSummary? GeneralG = null)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

/// <summary>
/// Global Moran's I (esda's Moran): I, E[I] = −1/(n − 1), z and two-sided p under normality and under randomisation,
/// and the permutation pseudo p-value (folded, (k + 1)/(P + 1)) with the LISA's permutations and seed.
/// </summary>
public sealed record GlobalMoranSummary(
    double? I, double? ExpectedI, double? ZNormality, double? PNormality, double? ZRandomisation, double? PRandomisation, int Permutations, double? PseudoP);

/// <summary>Getis–Ord General G (esda's G, binary weights): G, E[G] = S₀/(n(n − 1)), z and two-sided p.</summary>
public sealed record GeneralGSummary(double? G, double? ExpectedG, double? Z, double? P);

/// <summary>One CompStat line: a district × category (or a total) in this period, the previous one, and a year ago.</summary>
public sealed record CompStatRow(
    string? District, string? DistrictName, string? Category, long Current, long Previous, long SameLastYear,
    double? ChangeVsPreviousPercent, double PVsPrevious, bool SignificantVsPrevious,
    double? ChangeVsLastYearPercent, double PVsLastYear, bool SignificantVsLastYear);

/// <summary>Severities: the severity levels counted (null: all).</summary>
public sealed record CompStatTable(
    DateTimeOffset Start, DateTimeOffset End, int Days, double Alpha, IReadOnlyList<CompStatRow> Rows, DateTimeOffset ComputedAt, int[]? Severities);

/// <summary>
/// Sent over the live hub when a default hotspot view (density, gistar) was recomputed because incidents changed; Window:
/// the period it covers ("24h", the dashboard's default, is sent first; then "7d"), From and To its bounds (To: the
/// minute of the recomputation, as a request without ?to gets it).
/// </summary>
public sealed record HotspotsRecomputed(string View, DateTimeOffset ComputedAt, long IncidentsVersion, string? Window = null, DateTimeOffset? From = null, DateTimeOffset? To = null);
