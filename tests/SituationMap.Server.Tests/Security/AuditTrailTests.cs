using System.Net;
using System.Text.Json.Nodes;
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

        await server.Database.ExecuteAsync("UPDATE cameras SET status = 'fault' WHERE id = (SELECT min(id) FROM cameras)");
        var camera = await _client.CreateAsync("cameras", Camera());
        await server.Database.ExecuteAsync($"UPDATE cameras SET status = 'fault' WHERE id = {camera.Id()}");
        Assert.Equal("sql:postgres", (await AuditOfAsync("cameras", camera.Id()))[^1].Actor);
    }

    [Fact]
    public async Task TheAuditTrailCannotBeAlteredByAnyDatabaseRole()
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
    public async Task IncidentFreeTextIsAuditedAsAHashOnly()
    {
        var created = await _client.CreateAsync("incidents", Incident().With("description", "报警人张先生 13912345678"));
        var after = (await AuditOfAsync("incidents", created.Id()))[0].After!;
        Assert.DoesNotContain("13912345678", after);
        Assert.Contains("\"description\": \"sha256:", after);
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
