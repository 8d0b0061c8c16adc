using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Layers;

/// <summary>Properties of the migrated schema itself: a GiST index on every geometry, append-only track points.</summary>
public sealed class SchemaTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    /// <summary>Every geometry/geography column of every table, read from the catalog, and whether a GiST index has it as a key column.</summary>
    private const string GeometryColumnsSql = """
        SELECT c.relname, a.attname, t.typname,
               EXISTS (SELECT 1 FROM pg_index i
                       JOIN pg_class ic ON ic.oid = i.indexrelid
                       JOIN pg_am am ON am.oid = ic.relam
                       WHERE i.indrelid = c.oid AND am.amname = 'gist' AND a.attnum = ANY (i.indkey::int2[])) AS has_gist
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'topology', 'tiger')
          AND a.attnum > 0 AND NOT a.attisdropped AND t.typname IN ('geometry', 'geography')
        ORDER BY 1, 2
        """;

    [Fact]
    public async Task EveryGeometryColumnHasAGistIndex()
    {
        var columns = new List<(string Table, string Column, string Type, bool HasGist)>();
        await using (var cmd = server.Database.DataSource.CreateCommand(GeometryColumnsSql))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }
        // the enumeration itself must see the schema: the layers and the two columns that once had no index
        Assert.Contains(columns, c => c is { Table: "incidents", Column: "geom" });
        Assert.Contains(columns, c => c is { Table: "unit_positions", Column: "geom" });
        Assert.Contains(columns, c => c is { Table: "cameras", Column: "privacy_masks" });
        Assert.True(columns.Count >= 10, $"only {columns.Count} geometry columns found: {string.Join(", ", columns.Select(c => c.Table + "." + c.Column))}");
        var missing = columns.Where(c => !c.HasGist).Select(c => $"{c.Table}.{c.Column} ({c.Type})").ToList();
        Assert.True(missing.Count == 0, "geometry columns without a GiST index: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EveryFunctionSearchesPublicBeforeTemporaryTablesSoNoSessionCanShadowTheChangeLog()
    {
        var unpinned = new List<string>();
        await using (var cmd = server.Database.DataSource.CreateCommand("""
            SELECT p.oid::regprocedure::text, coalesce(array_to_string(p.proconfig, ';'), '')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND p.proname LIKE 'sm\_%' AND p.prokind = 'f'
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            var count = 0;
            while (await reader.ReadAsync())
            {
                count++;
                if (!reader.GetString(1).Contains("search_path=public, pg_temp", StringComparison.Ordinal)) unpinned.Add(reader.GetString(0));
            }
            Assert.True(count >= 15, $"only {count} sm_* functions found");
        }
        Assert.True(unpinned.Count == 0, "functions without a pinned search_path (re-run pinned_search_path.sql in the migration that re-created them): " + string.Join(", ", unpinned));

        // the server's role makes a temporary change_log and writes: the change still reaches the real log
        var incident = await _client.CreateAsync("incidents", Incident(severity: 2));
        await using var app = await server.Database.OpenApplicationConnectionAsync();
        await using (var shadow = new NpgsqlCommand("CREATE TEMP TABLE change_log (LIKE public.change_log INCLUDING ALL)", app)) await shadow.ExecuteNonQueryAsync();
        await using (var write = new NpgsqlCommand("UPDATE incidents SET severity = 3 WHERE id = $1", app) { Parameters = { new() { Value = incident.Id() } } })
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        await using (var temp = new NpgsqlCommand("SELECT count(*) FROM pg_temp.change_log", app)) Assert.Equal(0L, (long)(await temp.ExecuteScalarAsync())!);
        await using var logged = server.Database.DataSource.CreateCommand("SELECT count(*) FROM change_log WHERE layer = 'incidents' AND feature_id = $1 AND kind = 'updated'");
        logged.Parameters.Add(new() { Value = incident.Id() });
        Assert.Equal(1L, (long)(await logged.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task TrackPointsAreAppendOnlyAndGoOnlyWithTheirUnit()
    {
        var unit = await _client.CreateAsync("patrol-units",
            Feature(Point(114.71, 40.71), new JsonObject { ["call_sign"] = "AO-" + Guid.NewGuid().ToString("N")[..6], ["level"] = 3, ["mode"] = "foot" }));
        var now = DateTimeOffset.UtcNow;
        var batch = new JsonObject
        {
            ["positions"] = new JsonArray(
                new JsonObject { ["unit_id"] = unit.Id(), ["recorded_at"] = Iso(now.AddMinutes(-2)), ["longitude"] = 114.711, ["latitude"] = 40.71 },
                new JsonObject { ["unit_id"] = unit.Id(), ["recorded_at"] = Iso(now.AddMinutes(-1)), ["longitude"] = 114.712, ["latitude"] = 40.71 }),
        };
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/api/patrol-units/positions", Body(batch, "application/json"))).StatusCode);
        var where = $"WHERE unit_id = {unit.Id()}";
        Assert.Equal(2, await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions {where}"));

        foreach (var sql in new[] { $"UPDATE unit_positions SET speed_mps = 1 {where}", $"DELETE FROM unit_positions {where}" })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => server.Database.ExecuteAsync(sql));
            Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
        }
        Assert.Equal(2, await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions {where} AND speed_mps IS NULL"));

        // deleting the unit removes its track (ON DELETE CASCADE is the one path allowed)
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/patrol-units/{unit.Id()}")).StatusCode);
        Assert.Equal(0, await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions {where}"));
    }
}
