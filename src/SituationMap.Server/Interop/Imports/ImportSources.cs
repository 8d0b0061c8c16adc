using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Interop.Imports;

/// <summary>Opens a file with the reader its format needs (options.format, else the file name's extension).</summary>
public static class ImportSources
{
    public static readonly IReadOnlyList<string> Formats = ["geojson", "csv", "shapefile", "gpkg"];

    public static string? FormatOf(string name, string? given)
    {
        if (given is not null) return Formats.Contains(given) ? given : null;
        var lower = name.ToLowerInvariant();
        if (lower.EndsWith(".geojson") || lower.EndsWith(".json") || lower.EndsWith(".geojsonl") || lower.EndsWith(".geojsons") || lower.EndsWith(".ndjson")) return "geojson";
        if (lower.EndsWith(".csv") || lower.EndsWith(".tsv") || lower.EndsWith(".txt")) return "csv";
        if (lower.EndsWith(".shp") || lower.EndsWith(".zip")) return "shapefile";
        if (lower.EndsWith(".gpkg")) return "gpkg";
        return null;
    }

    /// <summary>The reader, or null with a problem (unknown format, unreadable file).</summary>
    public static IFeatureSource? Open(ImportFile file, ImportOptions options, ProblemCollector problems)
    {
        var format = FormatOf(file.Name, options.Format);
        if (format is null)
        {
            problems.Add("/options/format", options.Format is null
                ? $"cannot tell the format of {file.Name} from its name; set format to one of: {string.Join(", ", Formats)}."
                : $"must be one of: {string.Join(", ", Formats)}.");
            return null;
        }
        try
        {
            return format switch
            {
                "geojson" => new GeoJsonSource(file.Path),
                "csv" => new CsvSource(file.Path, new CsvGeometryColumns(options.X, options.Y, options.Wkt, Delimiter(options.Delimiter))),
                "shapefile" => new ShapefileSource(file.Path),
                _ => new GeoPackageSource(file.Path, options.Table),
            };
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            // whatever the format library says about a file it cannot open (truncated, wrong format, no .dbf…) is a data problem
            problems.Add("/files", $"{file.Name} cannot be read as {format}: {e.Message}");
            return null;
        }
    }

    private static char? Delimiter(string? given) => given switch
    {
        null or "" => null,
        "tab" or "\\t" => '\t',
        _ => given[0],
    };
}
