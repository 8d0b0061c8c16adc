using System.IO.Compression;
using System.Text;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// Reads an Esri Shapefile: a path to its .shp (the .shx/.dbf/.prj/.cpg beside it) or to a .zip holding one (extracted
/// to a temporary directory, deleted on dispose). The .cpg names the DBF text encoding (UTF-8 when it is missing);
/// the .prj gives <see cref="DeclaredCrs"/>. The record count comes from the DBF header, so <see cref="Count"/> is
/// known before reading. Files from the wild often break the ring-orientation rule (shells clockwise, holes
/// counter-clockwise), so polygons are rebuilt from their rings (FixInvalidShapes) rather than trusted; a record the
/// reader cannot decode at all becomes a row with a <see cref="SourceFeature.Problem"/>.
/// </summary>
public sealed class ShapefileSource : IFeatureSource
{
    private readonly DirectoryInfo? _extracted;
    private readonly ShapefileReader _reader;
    private long _read;

    static ShapefileSource() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public ShapefileSource(string path)
    {
        var shp = path;
        if (string.Equals(Path.GetExtension(path), ".zip", StringComparison.OrdinalIgnoreCase))
        {
            _extracted = Directory.CreateTempSubdirectory("situationmap-import-");
            try
            {
                ZipFile.ExtractToDirectory(path, _extracted.FullName);
                shp = Directory.EnumerateFiles(_extracted.FullName, "*", SearchOption.AllDirectories)
                    .Where(f => string.Equals(Path.GetExtension(f), ".shp", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).FirstOrDefault()
                    ?? throw new InvalidDataException("The zip file holds no .shp file.");
            }
            catch
            {
                _extracted.Delete(recursive: true);
                throw;
            }
        }
        try
        {
            _reader = Shapefile.OpenRead(shp, new ShapefileReaderOptions { Encoding = EncodingOf(shp), GeometryBuilderMode = GeometryBuilderMode.FixInvalidShapes });
        }
        catch
        {
            _extracted?.Delete(recursive: true);
            throw;
        }
        Columns = _reader.Fields.Select(f => f.Name).ToArray();
        DeclaredCrs = CrsOf(_reader.Projection);
    }

    public string Format => "shapefile";

    public string? DeclaredCrs { get; }

    public IReadOnlyList<string> Columns { get; }

    public long? Count => _reader.RecordCount;

    public double Progress => _reader.RecordCount == 0 ? 1 : Math.Min(1, (double)_read / _reader.RecordCount);

    public IEnumerable<SourceFeature> Read(CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            bool more, deleted = false;
            string? problem = null;
            try
            {
                more = _reader.Read(out deleted);
            }
            catch (Exception e) when (e is ShapefileException or InvalidDataException or ArgumentException or IndexOutOfRangeException)
            {
                // the record is unreadable, but the reader has moved past it
                more = _read + 1 < _reader.RecordCount;
                problem = "unreadable shape: " + e.Message;
            }
            _read++;
            if (problem is not null)
            {
                yield return new SourceFeature(_read, null, new Dictionary<string, object?>(), problem);
                if (!more) yield break;
                continue;
            }
            if (!more) yield break;
            if (deleted) continue;
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var field in _reader.Fields) attributes[field.Name] = Normalise(field.Value);
            var geometry = _reader.Geometry is { IsEmpty: false } g ? g : null;
            yield return new SourceFeature(_read, geometry, attributes);
        }
    }

    /// <summary>
    /// EPSG:4326 for a geographic WGS 84 .prj (ESRI or OGC spelling); any other coordinate system as "WKT:" + its
    /// text, for the import's CRS registry to identify; null without a .prj.
    /// </summary>
    public static string? CrsOf(string? prj)
    {
        if (string.IsNullOrWhiteSpace(prj)) return null;
        var wkt = prj.Trim();
        var geographic = wkt.StartsWith("GEOGCS", StringComparison.OrdinalIgnoreCase) || wkt.StartsWith("GEOGCRS", StringComparison.OrdinalIgnoreCase);
        var wgs84 = wkt.Contains("GCS_WGS_1984", StringComparison.OrdinalIgnoreCase) || wkt.Contains("\"WGS 84\"", StringComparison.OrdinalIgnoreCase)
            || wkt.Contains("D_WGS_1984", StringComparison.OrdinalIgnoreCase);
        return geographic && wgs84 ? "EPSG:4326" : "WKT:" + wkt;
    }

    private static Encoding EncodingOf(string shp)
    {
        var cpg = Directory.EnumerateFiles(Path.GetDirectoryName(Path.GetFullPath(shp))!, Path.GetFileNameWithoutExtension(shp) + ".*")
            .FirstOrDefault(f => string.Equals(Path.GetExtension(f), ".cpg", StringComparison.OrdinalIgnoreCase));
        if (cpg is null) return Encoding.UTF8;
        var name = File.ReadAllText(cpg).Trim();
        if (name.Replace("-", "", StringComparison.Ordinal).Equals("UTF8", StringComparison.OrdinalIgnoreCase)) return Encoding.UTF8;
        try
        {
            return int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var codePage)
                ? Encoding.GetEncoding(codePage)
                : Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    /// <summary>The contract's value types: string, long, double, bool, DateTime or null (blank text is null).</summary>
    private static object? Normalise(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        int i => (long)i,
        short s => (long)s,
        long l => l,
        decimal d => (double)d,
        float f => (double)f,
        double d => d,
        bool b => b,
        DateTime t => t,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    public void Dispose()
    {
        _reader.Dispose();
        _extracted?.Delete(recursive: true);
    }
}
