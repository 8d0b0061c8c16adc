using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace SituationMap.Server.Interop.Formats;

/// <summary>Where a CSV file keeps its geometry: two coordinate columns (x = easting/longitude, y = northing/latitude) or one WKT column.</summary>
public sealed record CsvGeometryColumns(string? X = null, string? Y = null, string? Wkt = null, char? Delimiter = null)
{
    private static readonly string[] XNames = ["longitude", "lon", "lng", "long", "x", "easting"];
    private static readonly string[] YNames = ["latitude", "lat", "y", "northing"];
    private static readonly string[] WktNames = ["wkt", "geometry", "geom", "the_geom", "shape"];

    /// <summary>The columns named, or the usual names found in the header (longitude/latitude, x/y, wkt…).</summary>
    public CsvGeometryColumns Resolve(IReadOnlyList<string> header)
    {
        string? Find(string[] names) => header.FirstOrDefault(h => names.Contains(h.Trim(), StringComparer.OrdinalIgnoreCase));
        if (X is not null || Y is not null || Wkt is not null) return this;
        var x = Find(XNames);
        var y = Find(YNames);
        return x is not null && y is not null ? this with { X = x, Y = y } : this with { Wkt = Find(WktNames) };
    }
}

/// <summary>
/// Reads an RFC 4180 CSV file (UTF-8, optional BOM; quoted fields may hold delimiters, quotes and line breaks; the
/// delimiter , ; or tab is detected from the header unless given). The first row is the header. Attributes are the
/// cells as text (empty cells are null); the geometry comes from <see cref="CsvGeometryColumns"/>. A row with the wrong
/// number of cells or an unreadable coordinate is returned with a <see cref="SourceFeature.Problem"/>; a row whose
/// coordinate cells are empty has no geometry (the import reports it as "missing coordinates"). Streams: memory does
/// not grow with the file.
/// </summary>
public sealed class CsvSource : IFeatureSource
{
    private readonly FileStream _file;
    private readonly StreamReader _reader;
    private readonly char _delimiter;
    private readonly string[] _header;
    private readonly int _x = -1, _y = -1, _wkt = -1;
    private readonly WKTReader _wktReader = new();

    public CsvSource(string path, CsvGeometryColumns? geometry = null)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        _reader = new StreamReader(_file, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, 1 << 16);
        var firstLine = _reader.Peek() < 0 ? "" : PeekFirstLine();
        _delimiter = geometry?.Delimiter ?? DetectDelimiter(firstLine);
        _header = ReadRecord()?.ToArray() ?? throw new InvalidDataException($"{Path.GetFileName(path)} is empty: a CSV file needs a header row.");
        if (_header.Length > 0) _header[0] = _header[0].TrimStart('\uFEFF');
        var duplicate = _header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"{Path.GetFileName(path)}: the header names column '{duplicate.Key}' twice.");
        Geometry = (geometry ?? new CsvGeometryColumns()).Resolve(_header);
        int Index(string? name, string what) =>
            name is null ? -1 : Array.FindIndex(_header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
                ? i
                : throw new InvalidDataException($"{Path.GetFileName(path)} has no {what} column '{name}'; its columns: {string.Join(", ", _header)}.");
        _x = Index(Geometry.X, "x/longitude");
        _y = Index(Geometry.Y, "y/latitude");
        _wkt = Index(Geometry.Wkt, "WKT");
        if ((_x < 0) != (_y < 0)) throw new InvalidDataException("Name both coordinate columns (x and y), or a WKT column.");
    }

    public string Format => "csv";

    public string? DeclaredCrs => null;

    public IReadOnlyList<string> Columns => _header;

    /// <summary>The geometry columns in use (resolved from the header when not given).</summary>
    public CsvGeometryColumns Geometry { get; }

    public long? Count => null;

    public double Progress => _file.Length == 0 ? 1 : Math.Min(1, (double)_file.Position / _file.Length);

    public IEnumerable<SourceFeature> Read(CancellationToken ct)
    {
        long row = 0;
        while (ReadRecord() is { } cells)
        {
            ct.ThrowIfCancellationRequested();
            row++;
            if (cells.Count == 1 && cells[0].Length == 0) continue; // blank line
            var attributes = new Dictionary<string, object?>(_header.Length, StringComparer.Ordinal);
            for (var i = 0; i < _header.Length && i < cells.Count; i++) attributes[_header[i]] = cells[i].Length == 0 ? null : cells[i];
            if (cells.Count != _header.Length)
            {
                yield return new SourceFeature(row, null, attributes,
                    string.Create(CultureInfo.InvariantCulture, $"has {cells.Count} cells; the header has {_header.Length}."));
                continue;
            }
            yield return ReadGeometry(row, cells, attributes);
        }
    }

    private SourceFeature ReadGeometry(long row, List<string> cells, Dictionary<string, object?> attributes)
    {
        if (_wkt >= 0)
        {
            var text = cells[_wkt].Trim();
            if (text.Length == 0) return new SourceFeature(row, null, attributes);
            try
            {
                return new SourceFeature(row, _wktReader.Read(text), attributes);
            }
            catch (Exception e) when (e is ParseException or ArgumentException or FormatException)
            {
                return new SourceFeature(row, null, attributes, $"column {_header[_wkt]}: not readable WKT ({e.Message.TrimEnd('.')}).");
            }
        }
        if (_x < 0) return new SourceFeature(row, null, attributes);
        var xs = cells[_x].Trim();
        var ys = cells[_y].Trim();
        if (xs.Length == 0 && ys.Length == 0) return new SourceFeature(row, null, attributes);
        if (!double.TryParse(xs, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
            return new SourceFeature(row, null, attributes, $"column {_header[_x]}: '{Short(xs)}' is not a number.");
        if (!double.TryParse(ys, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) || !double.IsFinite(y))
            return new SourceFeature(row, null, attributes, $"column {_header[_y]}: '{Short(ys)}' is not a number.");
        return new SourceFeature(row, new Point(x, y), attributes);
    }

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private readonly StringBuilder _cell = new();

    /// <summary>The next record's cells (RFC 4180), or null at the end of the file.</summary>
    private List<string>? ReadRecord()
    {
        var c = _reader.Read();
        if (c < 0) return null;
        var cells = new List<string>(_header?.Length ?? 16);
        _cell.Clear();
        var quoted = false;
        var atStart = true;
        while (true)
        {
            if (c < 0)
            {
                cells.Add(_cell.ToString());
                return cells;
            }
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _cell.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    _cell.Append(ch);
                }
            }
            else if (ch == '"' && atStart)
            {
                quoted = true;
                atStart = false;
            }
            else if (ch == _delimiter)
            {
                cells.Add(_cell.ToString());
                _cell.Clear();
                atStart = true;
                c = _reader.Read();
                continue;
            }
            else if (ch is '\n' or '\r')
            {
                if (ch == '\r' && _reader.Peek() == '\n') _reader.Read();
                cells.Add(_cell.ToString());
                return cells;
            }
            else
            {
                _cell.Append(ch);
                atStart = false;
            }
            c = _reader.Read();
        }
    }

    private string PeekFirstLine()
    {
        // the header line decides the delimiter; read it without consuming (the stream is rewound)
        var line = _reader.ReadLine() ?? "";
        _file.Position = 0;
        _reader.DiscardBufferedData();
        return line;
    }

    private static char DetectDelimiter(string header)
    {
        char[] candidates = [',', ';', '\t', '|'];
        return candidates.OrderByDescending(d => header.Count(ch => ch == d)).First();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _file.Dispose();
    }
}
