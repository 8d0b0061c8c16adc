using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace SituationMap.Server.Interop.Imports;

/// <summary>How an upsert went: rows inserted, rows changed, rows that were already exactly so.</summary>
public sealed record UpsertCounts(int Created, int Updated, int Unchanged);

/// <summary>
/// Writes many entities of one layer in one statement pipeline: binary COPY into a temporary staging table, then one
/// INSERT … ON CONFLICT (source, external_id) DO UPDATE that changes only rows whose values differ (so re-importing a
/// file leaves its rows — and their versions — untouched). Columns, their SQL types and value conversions (enums as
/// wire names) come from the EF model, so every layer is written the same way and a new column cannot be forgotten.
/// The caller owns the transaction (and with it atomicity, bulk-load mode and the audit actor).
/// </summary>
public static class LayerBulkWriter
{
    /// <summary>A million rows with their indexes take minutes on a small machine; the default 30 s would abort them.</summary>
    public static readonly TimeSpan BulkTimeout = TimeSpan.FromMinutes(30);

    public static async Task<UpsertCounts> UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IEntityType entity,
        IReadOnlyList<object> rows, IReadOnlySet<string> updatedColumns, CancellationToken ct)
    {
        if (rows.Count == 0) return new UpsertCounts(0, 0, 0);
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !p.IsPrimaryKey() && p.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never)
            .Select(p => (Property: p, Name: p.GetColumnName(store)!, Type: DataTypeName(p.GetColumnType()),
                Converter: p.GetTypeMapping().Converter))
            .ToArray();
        var list = string.Join(", ", columns.Select(c => Quote(c.Name)));
        await ExecuteAsync(connection, tx, $"CREATE TEMP TABLE sm_import_stage ON COMMIT DROP AS SELECT {list} FROM {Quote(table)} WITH NO DATA", ct);
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY sm_import_stage ({list}) FROM STDIN (FORMAT BINARY)", ct))
        {
            writer.Timeout = BulkTimeout;
            foreach (var row in rows)
            {
                await writer.StartRowAsync(ct);
                foreach (var (property, _, type, converter) in columns)
                {
                    var value = property.PropertyInfo!.GetValue(row);
                    if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
                    if (value is DateTimeOffset local) value = local.ToUniversalTime(); // timestamptz takes UTC offsets only
                    if (value is null) await writer.WriteNullAsync(ct);
                    else await writer.WriteAsync(value, type, ct);
                }
            }
            await writer.CompleteAsync(ct);
        }

        var update = columns.Where(c => updatedColumns.Contains(c.Name) && c.Name is not ("source" or "external_id")).Select(c => Quote(c.Name)).ToArray();
        var sql = new StringBuilder($"INSERT INTO {Quote(table)} AS t ({list}) SELECT {list} FROM sm_import_stage");
        var keyed = entity.GetIndexes().Any(i => i.IsUnique && i.Properties.Select(p => p.GetColumnName(store)).SequenceEqual(["source", "external_id"]));
        if (keyed)
        {
            sql.Append(" ON CONFLICT (source, external_id) WHERE external_id IS NOT NULL DO ");
            if (update.Length == 0) sql.Append("NOTHING");
            else
            {
                sql.Append("UPDATE SET ").AppendJoin(", ", update.Select(c => $"{c} = EXCLUDED.{c}"));
                sql.Append($" WHERE ({string.Join(", ", update.Select(c => "t." + c))}) IS DISTINCT FROM ({string.Join(", ", update.Select(c => "EXCLUDED." + c))})");
            }
        }
        sql.Append(" RETURNING (xmax = 0)");
        int created = 0, updated = 0;
        await using (var command = new NpgsqlCommand(sql.ToString(), connection, tx) { CommandTimeout = (int)BulkTimeout.TotalSeconds })
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetBoolean(0)) created++;
                else updated++;
            }
        }
        await ExecuteAsync(connection, tx, "DROP TABLE sm_import_stage", ct);
        return new UpsertCounts(created, updated, rows.Count - created - updated);
    }

    /// <summary>"geometry(Point,4326)" → "geometry", "character varying(64)" → "character varying": the name Npgsql writes by.</summary>
    private static string DataTypeName(string columnType)
    {
        var paren = columnType.IndexOf('(');
        return paren < 0 ? columnType : columnType[..paren].TrimEnd() + columnType[(columnType.IndexOf(')') + 1)..];
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
