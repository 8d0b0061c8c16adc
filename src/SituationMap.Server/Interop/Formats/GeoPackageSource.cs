using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// Reads one feature table of a GeoPackage (the first in gpkg_contents, or the one named), read-only, in fid order.
/// <see cref="DeclaredCrs"/> is organization:organization_coordsys_id of the table's srs_id (e.g. EPSG:4326), null for
/// the undefined systems. Values follow the declared column types: BOOLEAN as bool, DATE/DATETIME as DateTimeOffset,
/// INTEGER as long, REAL/DOUBLE/FLOAT as double, text as string, BLOB as base64 text.
/// </summary>
public sealed class GeoPackageSource : IFeatureSource
{
    private readonly SqliteConnection _db;
    private readonly string _table, _geometryColumn, _idColumn;
    private readonly (string Name, string Type)[] _columns;
    private long _read;

    public GeoPackageSource(string path, string? table = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException("There is no GeoPackage file here.", path);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            _db.Open();
            using (var find = _db.CreateCommand())
            {
                find.CommandText = "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name " +
                    "WHERE c.data_type = 'features' AND ($t IS NULL OR c.table_name = $t) ORDER BY c.rowid LIMIT 1";
                find.Parameters.AddWithValue("$t", (object?)table ?? DBNull.Value);
                using var found = find.ExecuteReader();
                if (!found.Read())
                    throw new InvalidDataException(table is null ? "The GeoPackage holds no feature table." : $"The GeoPackage has no feature table '{table}'.");
                (_table, _geometryColumn) = (found.GetString(0), found.GetString(1));
                DeclaredCrs = CrsOf(found.GetInt64(2));
            }
            var columns = new List<(string Name, string Type, bool Key)>();
            using (var info = _db.CreateCommand())
            {
                info.CommandText = $"SELECT name, type, pk FROM pragma_table_info({Literal(_table)}) ORDER BY cid";
                using var rows = info.ExecuteReader();
                while (rows.Read()) columns.Add((rows.GetString(0), rows.GetString(1).ToUpperInvariant(), rows.GetInt64(2) > 0));
            }
            _idColumn = columns.FirstOrDefault(c => c.Key).Name ?? "rowid";
            _columns = columns.Where(c => !c.Key && c.Name != _geometryColumn).Select(c => (c.Name, c.Type)).ToArray();
            // the feature id (fid) comes first: it is what a GeoPackage export keys its rows by, e.g. options.external_id = "fid"
            Columns = new[] { _idColumn }.Concat(_columns.Select(c => c.Name)).ToArray();
            using var count = _db.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM {GeoPackageWriter.Quote(_table)}";
            Count = (long)count.ExecuteScalar()!;
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    public string Format => "gpkg";

    public string? DeclaredCrs { get; private set; }

    public IReadOnlyList<string> Columns { get; }

    public long? Count { get; }

    /// <summary>The feature table read (the first one unless a name was given).</summary>
    public string Table => _table;

    public double Progress => Count is null or 0 ? 1 : Math.Min(1, (double)_read / Count.Value);

    public IEnumerable<SourceFeature> Read(CancellationToken ct)
    {
        using var select = _db.CreateCommand();
        select.CommandText = $"SELECT {GeoPackageWriter.Quote(_geometryColumn)}" + string.Concat(_columns.Select(c => ", " + GeoPackageWriter.Quote(c.Name))) +
            $", {GeoPackageWriter.Quote(_idColumn)}" +
            $" FROM {GeoPackageWriter.Quote(_table)} ORDER BY {GeoPackageWriter.Quote(_idColumn)}";
        using var rows = select.ExecuteReader();
        var geometries = new GeoPackageGeoReader();
        while (rows.Read())
        {
            ct.ThrowIfCancellationRequested();
            _read++;
            Geometry? geometry = null;
            string? problem = null;
            if (!rows.IsDBNull(0))
            {
                try
                {
                    geometry = geometries.Read((byte[])rows.GetValue(0));
                    if (geometry.IsEmpty) geometry = null;
                }
                catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException or ParseException or NotSupportedException)
                {
                    problem = "unreadable geometry: " + e.Message;
                }
            }
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal) { [_idColumn] = rows.GetInt64(_columns.Length + 1) };
            for (var i = 0; i < _columns.Length; i++)
            {
                try
                {
                    attributes[_columns[i].Name] = rows.IsDBNull(i + 1) ? null : Value(rows.GetValue(i + 1), _columns[i].Type);
                }
                catch (FormatException)
                {
                    problem ??= $"{_columns[i].Name}: '{rows.GetValue(i + 1)}' is not a {_columns[i].Type}.";
                }
            }
            yield return new SourceFeature(_read, geometry, attributes, problem);
        }
    }

    private string? CrsOf(long srsId)
    {
        using var command = _db.CreateCommand();
        command.CommandText = "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = $id";
        command.Parameters.AddWithValue("$id", srsId);
        using var row = command.ExecuteReader();
        if (!row.Read()) return null;
        var organization = row.GetString(0);
        return organization.Equals("NONE", StringComparison.OrdinalIgnoreCase) || row.GetInt64(1) <= 0
            ? null
            : $"{organization.ToUpperInvariant()}:{row.GetInt64(1).ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A stored value by its column's declared type (SQLite itself stores booleans as 0/1 and instants as text).</summary>
    private static object? Value(object value, string type) => type switch
    {
        "BOOLEAN" => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
        "DATETIME" or "DATE" => value is string s
            ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : throw new FormatException(),
        _ when value is byte[] bytes => Convert.ToBase64String(bytes),
        _ when type.StartsWith("INT", StringComparison.Ordinal) || type is "TINYINT" or "SMALLINT" or "MEDIUMINT" =>
            Convert.ToInt64(value, CultureInfo.InvariantCulture),
        "REAL" or "DOUBLE" or "FLOAT" => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => value is long or double or string ? value : Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>A string literal for pragma_table_info (it takes the table name as a value).</summary>
    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public void Dispose() => _db.Dispose();
}
