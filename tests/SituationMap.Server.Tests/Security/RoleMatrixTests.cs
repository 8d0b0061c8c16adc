using System.Net;
using System.Text.Json.Nodes;
using SituationMap.Server.Accounts;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Security;

/// <summary>Per role: what is allowed succeeds, what is not gets 403 (signed in) or 401 (anonymous) and writes nothing.</summary>
public sealed class RoleMatrixTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly Dictionary<string, string> Expect = new()
    {
        //                                        viewer dispatcher planner commander admin anonymous
        ["GET /api/incidents"] = "200 200 200 200 200 401",
        ["GET /tiles/incidents/14/13421/6154.mvt"] = "2xx 2xx 2xx 2xx 2xx 401",
        ["GET /api/situation/summary"] = "200 200 200 200 200 401",
        ["POST /api/incidents"] = "403 201 403 201 403 401",
        ["POST /api/patrol-units/positions"] = "403 200 403 200 403 401",
        ["POST /api/cameras"] = "403 403 201 201 403 401",
        ["POST /api/zones"] = "403 403 201 201 403 401",
        ["POST /api/districts"] = "403 403 403 403 201 401",
        ["GET /api/incidents/export.csv"] = "403 403 403 200 403 401",
        ["GET /api/admin/accounts"] = "403 403 403 403 200 401",
        ["GET /api/admin/audit"] = "403 403 403 403 200 401",
        ["GET /api/auth/me"] = "200 200 200 200 200 401",
    };

    public static TheoryData<string> Operations => new(Expect.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EachRoleGetsExactlyWhatItIsAllowed(string operation)
    {
        var expected = Expect[operation].Split(' ');
        string[] roles = [Roles.Viewer, Roles.Dispatcher, Roles.Planner, Roles.Commander, Roles.Admin, ""];
        var unit = await server.CreateClient().CreateAsync("patrol-units", Feature(Point(), new JsonObject
        {
            ["call_sign"] = "RM-" + Guid.NewGuid().ToString("N")[..6],
            ["level"] = 2,
            ["mode"] = "vehicle",
        }));
        for (var i = 0; i < roles.Length; i++)
        {
            var token = roles[i] == "" ? "" : await server.CreateTokenAsync("role-" + roles[i], [roles[i]], []);
            var client = server.CreateClient(token);
            var headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
            var response = await SendAsync(client, operation, unit.Id());
            var code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var ok = expected[i] == "2xx" ? code[0] == '2' : code == expected[i];
            Assert.True(ok, $"{operation} as {(roles[i] == "" ? "anonymous" : roles[i])}: expected {expected[i]}, got {code} {await response.Content.ReadAsStringAsync()}");
            if (code is "401" or "403")
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(headBefore, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
            }
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string operation, long unitId)
    {
        var (method, url) = (operation.Split(' ')[0], operation.Split(' ')[1]);
        if (method == "GET") return client.GetAsync(url);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        JsonNode body = url switch
        {
            "/api/incidents" => Incident(),
            "/api/cameras" => Camera(),
            "/api/zones" => Zone("school", 116.5, 41.5),
            "/api/districts" => Feature(Square(117, 42, 0.01), new JsonObject { ["code"] = "R" + suffix, ["name"] = "角色区" }),
            "/api/patrol-units/positions" => new JsonObject
            {
                ["positions"] = new JsonArray(new JsonObject { ["unit_id"] = unitId, ["recorded_at"] = Iso(DateTimeOffset.UtcNow), ["longitude"] = 114.9, ["latitude"] = 40.8 }),
            },
            _ => throw new ArgumentException(url),
        };
        return client.PostAsync(url, Body(body, "application/json"));
    }
}
