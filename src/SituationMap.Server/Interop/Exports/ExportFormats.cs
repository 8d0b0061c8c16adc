using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Interop.Exports;

/// <summary>The export formats by the file extension a download URL ends with.</summary>
public static class ExportFormats
{
    private static readonly Dictionary<string, IFeatureWriter> ByExtension = new(StringComparer.Ordinal)
    {
        ["geojson"] = new GeoJsonWriter(),
        ["csv"] = new CsvWriter(),
        ["gpkg"] = new GeoPackageWriter(),
        ["shp.zip"] = new ShapefileZipWriter(),
        ["zip"] = new ShapefileZipWriter(),
        ["kml"] = new KmlWriter(),
    };

    public static IReadOnlyCollection<string> Extensions => ByExtension.Keys;

    public static IFeatureWriter? Find(string extension) => ByExtension.GetValueOrDefault(extension);
}
