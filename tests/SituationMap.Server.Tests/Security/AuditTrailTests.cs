using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SituationMap.Server.Accounts;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

public sealed class AuditTrailTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    private async Task<List<(string Actor, string Action, string? Before, string? After, string? Ip)>> AuditOfAsync(string layer, long id)
    {
        var rows = new List<(string, string, string?, string?, string?)>();
        await using var cmd = server.Database.DataSource.CreateCommand(
            $"SELECT actor, action, before::text, after::text, client_ip FROM audit_log WHERE layer = '{layer}' AND feature_id = {id} ORDER BY id");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        return rows;
    }

    [Fact]
    public async Task EveryWriteIsAuditedInItsTransactionWithWhoWhereAndBeforeAndAfter()
    {
        var created = await _client.CreateAsync("incidents", Incident(severity: 2));
        var id = created.Id();
        await _client.PostAsync($"/api/incidents/{id}/status", Raw("{\"status\":\"dispatched\",\"version\":1}"));
        await _client.DeleteAsync($"/api/incidents/{id}");
        var rows = await AuditOfAsync("incidents", id);
        Assert.Equal(["insert", "update", "delete"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal(ServerFixture.OperatorName, r.Actor));
        Assert.All(rows, r => Assert.Equal("127.0.0.1", r.Ip));
        Assert.Null(rows[0].Before);
        Assert.Contains("\"status\": \"reported\"", rows[1].Before);
        Assert.Contains("\"status\": \"dispatched\"", rows[1].After);
        Assert.Null(rows[2].After);
    }

    [Fact]
    public async Task ARejectedWriteLeavesNoAuditRowAndADirectSqlWriteIsAttributedToItsDatabaseRole()
    {
        var before = await server.Database.ScalarAsync("SELECT count(*) FROM audit_log");
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync("/api/incidents", Body(Incident(500, 40)))).StatusCode);
        Assert.Equal(before, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log"));

        var camera = await _client.CreateAsync("cameras", Camera());
        await using (var app = await server.Database.OpenApplicationConnectionAsync())
        await using (var cmd = new NpgsqlCommand($"UPDATE cameras SET status = 'fault' WHERE id = {camera.Id()}", app))
        {
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        Assert.Equal("sql:" + TestDatabase.ApplicationLogin, (await AuditOfAsync("cameras", camera.Id()))[^1].Actor);
        var owner = new NpgsqlConnectionStringBuilder(server.Database.ConnectionString).Username;
        await server.Database.ExecuteAsync($"UPDATE cameras SET status = 'online' WHERE id = {camera.Id()}");
        Assert.Equal("sql:" + owner, (await AuditOfAsync("cameras", camera.Id()))[^1].Actor);
    }

    [Fact]
    public async Task TheAuditTrailRefusesPlainUpdatesDeletesAndTruncatesEvenFromItsOwner()
    {
        await _client.CreateAsync("incidents", Incident());
        foreach (var sql in new[] { "UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log", "TRUNCATE audit_log" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => server.Database.ExecuteAsync(sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            Assert.Contains("append-only", error.MessageText);
        }
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log") > 0);
    }

    [Fact]
    public async Task TheServersDatabaseRoleCannotAlterTheAuditTrailNotEvenBySwitchingOffItsTriggers()
    {
        await _client.CreateAsync("incidents", Incident());
        var fingerprint = "SELECT count(*) * 1000003 + sum(hashtext(actor || action || coalesce(before::text, '') || coalesce(after::text, ''))) FROM audit_log";
        var before = await server.Database.ScalarAsync(fingerprint);
        string[] attacks =
        [
            "UPDATE audit_log SET actor = 'nobody'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER sm_audit_append_only",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "DROP TRIGGER sm_audit_append_only ON audit_log",
            "SET session_replication_role = replica",
            "DROP TABLE audit_log",
            "ALTER TABLE audit_log OWNER TO " + TestDatabase.ApplicationLogin,
            "ALTER TABLE audit_log RENAME TO audit_log_old",
            "CREATE RULE no_audit AS ON INSERT TO audit_log DO INSTEAD NOTHING",
            "DROP TRIGGER sm_audit_change ON incidents",
            "ALTER TABLE incidents DISABLE TRIGGER sm_audit_change",
            "CREATE OR REPLACE FUNCTION sm_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN OLD; END'",
            "SET ROLE postgres",
        ];
        await using (var app = await server.Database.OpenApplicationConnectionAsync())
        {
            foreach (var sql in attacks)
            {
                await using var cmd = new NpgsqlCommand(sql, app);
                var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
                Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
            }
            // what the role may do: read the trail, and append to it by writing (the trigger's insert runs as the writer)
            await using var count = new NpgsqlCommand("SELECT count(*) FROM audit_log", app);
            Assert.True((long)(await count.ExecuteScalarAsync())! > 0);
        }
        Assert.Equal(before, await server.Database.ScalarAsync(fingerprint));

        // a TEMP table of the same name comes first in the session's search path: the audit triggers still write the real one
        var camera = await _client.CreateAsync("cameras", Camera());
        await using (var app = await server.Database.OpenApplicationConnectionAsync())
        await using (var cmd = new NpgsqlCommand(
            $"CREATE TEMP TABLE audit_log (LIKE public.audit_log INCLUDING ALL); UPDATE cameras SET status = 'fault' WHERE id = {camera.Id()}", app))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        Assert.Equal(["insert", "update"], (await AuditOfAsync("cameras", camera.Id())).Select(r => r.Action));
        var rows = await server.Database.ScalarAsync("SELECT count(*) FROM audit_log");
        var created = await _client.CreateAsync("incidents", Incident());
        Assert.Equal("insert", Assert.Single(await AuditOfAsync("incidents", created.Id())).Action);
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log") > rows);
    }

    [Fact]
    public async Task TheServerRunsAsTheApplicationRoleWhichMayOnlyReadAndAppendToTheAuditTrail()
    {
        var check = server.Services.GetRequiredService<SituationMap.Server.Infrastructure.Database.ApplicationRoleCheck>();
        for (var i = 0; i < 100 && check.MayAlterAuditTrail is null; i++) await Task.Delay(100);
        Assert.False(check.MayAlterAuditTrail);
        var role = TestDatabase.ApplicationRole;
        foreach (var (privilege, granted) in new[] { ("SELECT", true), ("INSERT", true), ("UPDATE", false), ("DELETE", false), ("TRUNCATE", false), ("REFERENCES", false), ("TRIGGER", false) })
        {
            Assert.True(granted == (await server.Database.ScalarAsync($"SELECT has_table_privilege('{role}', 'audit_log', '{privilege}')::int") == 1), privilege);
        }
        Assert.Equal(0, await server.Database.ScalarAsync($"SELECT count(*) FROM pg_class WHERE relname = 'audit_log' AND pg_has_role('{role}', relowner, 'USAGE')"));
        // every other table of the application (those of later migrations too) may be read and written
        var missing = await server.Database.ScalarAsync($"""
            SELECT count(*) FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
              AND c.relname NOT IN ('audit_log', '__ef_migrations_history')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
              AND NOT (has_table_privilege('{role}', c.oid, 'SELECT') AND has_table_privilege('{role}', c.oid, 'INSERT')
                       AND has_table_privilege('{role}', c.oid, 'UPDATE') AND has_table_privilege('{role}', c.oid, 'DELETE'))
            """);
        Assert.Equal(0, missing);
        Assert.Equal(0, await server.Database.ScalarAsync($"SELECT has_table_privilege('{role}', '__ef_migrations_history', 'INSERT')::int"));
    }

    [Fact]
    public async Task IncidentFreeTextIsAuditedAsAHashOnly()
    {
        var created = await _client.CreateAsync("incidents", Incident().With("description", "报警人张先生 13912345678").With("address", "幸福路 88 号 3 单元 502"));
        var after = (await AuditOfAsync("incidents", created.Id()))[0].After!;
        Assert.DoesNotContain("13912345678", after);
        Assert.DoesNotContain("幸福路", after);
        Assert.Contains("\"description\": \"sha256:", after);
        Assert.Contains("\"address\": \"sha256:", after);
    }

    [Fact]
    public async Task SignInsExportsAndAccountChangesAreAudited()
    {
        await server.CreateTokenAsync("audited-user", [Roles.Viewer], []);
        var anonymous = server.CreateClient("");
        await anonymous.PostAsync("/api/auth/sign-in", Raw("{\"username\":\"audited-user\",\"password\":\"wrong password here\"}"));
        await anonymous.PostAsync("/api/auth/sign-in", Raw($"{{\"username\":\"audited-user\",\"password\":\"{ServerFixture.Password}\"}}"));
        await _client.GetStringAsync("/api/incidents/export.csv?category=fraud");
        var actions = new List<string>();
        await using (var cmd = server.Database.DataSource.CreateCommand("SELECT action || ':' || actor FROM audit_log ORDER BY id"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) actions.Add(r.GetString(0));
        }
        Assert.Contains("account_created:system:tests", actions);
        Assert.Contains("token_created:system:tests", actions);
        Assert.Contains("sign_in_failed:anonymous", actions);
        Assert.Contains("sign_in:anonymous", actions);
        Assert.Contains("export:" + ServerFixture.OperatorName, actions);
        var export = await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export' AND detail->>'query' = '?category=fraud'");
        Assert.Equal(1, export);
    }

    [Fact]
    public async Task AdminsSearchTheAuditTrailAndExportItAsCsv()
    {
        var created = await _client.CreateAsync("zones", Zone("school", 114.95, 40.85));
        var found = await (await _client.GetAsync($"/api/admin/audit?layer=zones&feature_id={created.Id()}")).JsonAsync();
        var row = Assert.Single(found.EnumerateArray());
        Assert.Equal("insert", row.GetProperty("action").GetString());
        var csv = await _client.GetStringAsync($"/api/admin/audit/export.csv?layer=zones&feature_id={created.Id()}");
        Assert.StartsWith("id,at,actor,account_id,client_ip,action,layer,feature_id,detail,before,after", csv);
        Assert.Equal(2, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export' AND layer = 'audit_log'") >= 1);
        var viewer = server.CreateClient(await server.CreateTokenAsync("audit-viewer", [Roles.Viewer], []));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task TheCsvExportStreamsEveryMatchingRowNotJustTheFirstTenThousand()
    {
        await server.Database.ExecuteAsync(
            "INSERT INTO audit_log (at, actor, action, layer, detail) SELECT now(), 'tests', 'bulk_test', 'bulk', jsonb_build_object('n', n) FROM generate_series(1, 10050) n");
        var csv = await _client.GetStringAsync("/api/admin/audit/export.csv?action=bulk_test");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10_051, lines.Length); // the header and every row
        Assert.Equal(10_050, lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
        Assert.Equal(10_050, await server.Database.ScalarAsync("SELECT (detail->>'rows')::bigint FROM audit_log WHERE action = 'export' AND detail->>'query' = '?action=bulk_test'"));
        // ?limit still picks the newest rows
        var limited = await _client.GetStringAsync("/api/admin/audit/export.csv?action=bulk_test&limit=3");
        Assert.Equal(4, limited.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/admin/audit/export.csv?limit=0")).StatusCode);
    }
}
