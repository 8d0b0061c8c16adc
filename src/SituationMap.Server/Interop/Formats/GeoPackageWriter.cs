using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// An OGC GeoPackage 1.2 (SQLite): application_id "GPKG", user_version 10200, gpkg_spatial_ref_sys with the three
/// required rows (-1, 0, EPSG:4326), gpkg_contents with the layer's bbox, gpkg_geometry_columns, the feature table
/// (fid = the feature id, geom as GeoPackage binary, one column per field: TEXT, INTEGER, DOUBLE, BOOLEAN 0/1,
/// DATETIME as YYYY-MM-DDTHH:MM:SS.SSSZ) and the R-tree spatial index extension with its triggers. SQLite needs a
/// file it can seek in, so the package is built in a temporary file that is then copied to the output and deleted.
/// </summary>
public sealed class GeoPackageWriter : IFeatureWriter
{
    public const int ApplicationId = 0x47504B47;
    public const int UserVersion = 10200;

    public const string Wgs84Definition =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]]," +
        "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433," +
        "AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

    public string Format => "gpkg";

    public string ContentType => "application/geopackage+sqlite3";

    public string Extension => ".gpkg";

    public async Task WriteAsync(Stream output, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"situationmap-export-{Guid.NewGuid():N}.gpkg");
        try
        {
            await WriteFileAsync(path, layer, features, ct);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            await file.CopyToAsync(output, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Writes the GeoPackage file at <paramref name="path"/> (one transaction).</summary>
    public static async Task WriteFileAsync(string path, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        await using var db = new SqliteConnection(connectionString);
        await db.OpenAsync(ct);
        await ExecuteAsync(db, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {UserVersion}; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", ct);
        await using var tx = (SqliteTransaction)await db.BeginTransactionAsync(ct);
        await ExecuteAsync(db, MetadataTables, ct);
        await ExecuteAsync(db, "INSERT INTO gpkg_spatial_ref_sys VALUES " +
            "('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system')," +
            "('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')," +
            $"('WGS 84 geodetic', 4326, 'EPSG', 4326, '{Wgs84Definition}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')", ct);

        var table = Quote(layer.Name);
        var columns = ColumnNames(layer);
        var definitions = string.Concat(layer.Fields.Select((f, i) => $", {Quote(columns[i])} {SqlType(f.Kind)}"));
        await ExecuteAsync(db, $"CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {layer.GeometryType.ToUpperInvariant()}{definitions})", ct);
        var rtree = Quote($"rtree_{layer.Name}_geom");
        await ExecuteAsync(db, $"CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy)", ct);

        await using var insert = db.CreateCommand();
        insert.CommandText = $"INSERT INTO {table} (fid, geom{string.Concat(columns.Select(c => ", " + Quote(c)))}) VALUES ($fid, $geom" +
            string.Concat(columns.Select((_, i) => $", $v{i}")) + ")";
        var fid = insert.Parameters.Add("$fid", SqliteType.Integer);
        var geom = insert.Parameters.Add("$geom", SqliteType.Blob);
        var values = layer.Fields.Select((f, i) => insert.Parameters.Add($"$v{i}", SqlParameterType(f.Kind))).ToArray();
        await using var index = db.CreateCommand();
        index.CommandText = $"INSERT INTO {rtree} VALUES ($id, $minx, $maxx, $miny, $maxy)";
        var indexParameters = new[] { "$id", "$minx", "$maxx", "$miny", "$maxy" }.Select(n => index.Parameters.Add(n, SqliteType.Real)).ToArray();

        var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
        var extent = new Envelope();
        await foreach (var feature in features.WithCancellation(ct))
        {
            fid.Value = feature.Id;
            geom.Value = feature.Geometry is null ? DBNull.Value : writer.Write(WithSrid(feature.Geometry));
            for (var i = 0; i < values.Length; i++) values[i].Value = SqlValue(feature.Values[i], layer.Fields[i].Kind);
            await insert.ExecuteNonQueryAsync(ct);
            if (feature.Geometry is { IsEmpty: false } g)
            {
                var e = g.EnvelopeInternal;
                extent.ExpandToInclude(e);
                indexParameters[0].Value = feature.Id;
                indexParameters[1].Value = e.MinX;
                indexParameters[2].Value = e.MaxX;
                indexParameters[3].Value = e.MinY;
                indexParameters[4].Value = e.MaxY;
                await index.ExecuteNonQueryAsync(ct);
            }
        }

        await using (var contents = db.CreateCommand())
        {
            contents.CommandText = "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) " +
                "VALUES ($t, 'features', $t, $d, $now, $minx, $miny, $maxx, $maxy, 4326)";
            contents.Parameters.AddWithValue("$t", layer.Name);
            contents.Parameters.AddWithValue("$d", $"SituationMap layer {layer.Name}");
            contents.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            contents.Parameters.AddWithValue("$minx", extent.IsNull ? DBNull.Value : extent.MinX);
            contents.Parameters.AddWithValue("$miny", extent.IsNull ? DBNull.Value : extent.MinY);
            contents.Parameters.AddWithValue("$maxx", extent.IsNull ? DBNull.Value : extent.MaxX);
            contents.Parameters.AddWithValue("$maxy", extent.IsNull ? DBNull.Value : extent.MaxY);
            await contents.ExecuteNonQueryAsync(ct);
        }
        await using (var geometryColumn = db.CreateCommand())
        {
            geometryColumn.CommandText = "INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', $type, 4326, 0, 0);" +
                "INSERT INTO gpkg_extensions VALUES ($t, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')";
            geometryColumn.Parameters.AddWithValue("$t", layer.Name);
            geometryColumn.Parameters.AddWithValue("$type", layer.GeometryType.ToUpperInvariant());
            await geometryColumn.ExecuteNonQueryAsync(ct);
        }
        // the extension's triggers keep the index right when a client edits the file; they call ST_* functions that
        // GeoPackage clients register, so they are created after the rows are in
        await ExecuteAsync(db, RtreeTriggers(layer.Name), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The field names as columns: unique (case-insensitively, as SQLite compares them), never fid or geom;
    /// a clash gets a numeric suffix.
    /// </summary>
    public static IReadOnlyList<string> ColumnNames(ExportLayer layer)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "fid", "geom" };
        var names = new List<string>();
        foreach (var field in layer.Fields)
        {
            var name = field.Name;
            for (var n = 1; !used.Add(name); n++) name = $"{field.Name}_{n}";
            names.Add(name);
        }
        return names;
    }

    private static Geometry WithSrid(Geometry geometry)
    {
        if (geometry.SRID == 4326) return geometry;
        var copy = geometry.Copy();
        copy.SRID = 4326;
        return copy;
    }

    private static string SqlType(FieldKind kind) => kind switch
    {
        FieldKind.Integer => "INTEGER",
        FieldKind.Real => "DOUBLE",
        FieldKind.Boolean => "BOOLEAN",
        FieldKind.DateTime => "DATETIME",
        _ => "TEXT",
    };

    private static SqliteType SqlParameterType(FieldKind kind) => kind switch
    {
        FieldKind.Integer or FieldKind.Boolean => SqliteType.Integer,
        FieldKind.Real => SqliteType.Real,
        _ => SqliteType.Text,
    };

    private static object SqlValue(object? value, FieldKind kind) => value switch
    {
        null => DBNull.Value,
        _ => kind switch
        {
            FieldKind.Integer => FieldValues.Integer(value),
            FieldKind.Real => FieldValues.Real(value),
            FieldKind.Boolean => FieldValues.Boolean(value) ? 1L : 0L,
            FieldKind.DateTime => FieldValues.Instant(value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            _ => FieldValues.Text(value, kind)!,
        },
    };

    /// <summary>An SQL identifier, quoted (layer and field names come from code, but quoting keeps any name safe).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(SqliteConnection db, string sql, CancellationToken ct)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The core tables of GeoPackage 1.2 for vector features (requirements 10, 13, 18, 21; extensions 58).</summary>
    private const string MetadataTables = """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
          description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
          scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        """;

    /// <summary>The six triggers of the R-tree extension (GeoPackage 1.2, F.3), for table t, geometry geom, id fid.</summary>
    private static string RtreeTriggers(string t)
    {
        var table = Quote(t);
        var rtree = Quote($"rtree_{t}_geom");
        string Name(string suffix) => Quote($"rtree_{t}_geom_{suffix}");
        const string box = "ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)";
        return $"""
            CREATE TRIGGER {Name("insert")} AFTER INSERT ON {table} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {box}); END;
            CREATE TRIGGER {Name("update1")} AFTER UPDATE OF geom ON {table} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {box}); END;
            CREATE TRIGGER {Name("update2")} AFTER UPDATE OF geom ON {table} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM {rtree} WHERE id = OLD.fid; END;
            CREATE TRIGGER {Name("update3")} AFTER UPDATE ON {table} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM {rtree} WHERE id = OLD.fid; INSERT OR REPLACE INTO {rtree} VALUES (NEW.fid, {box}); END;
            CREATE TRIGGER {Name("update4")} AFTER UPDATE ON {table} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM {rtree} WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER {Name("delete")} AFTER DELETE ON {table} WHEN old.geom NOT NULL
            BEGIN DELETE FROM {rtree} WHERE id = OLD.fid; END;
            """;
    }
}
