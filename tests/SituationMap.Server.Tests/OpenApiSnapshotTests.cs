using System.Text.Json.Nodes;
using SituationMap.Testing;

namespace SituationMap.Server.Tests;

/// <summary>
/// The dashboard's API types are generated from web/openapi.json (npm run api), so that file must be exactly what
/// the server serves. To refresh it: SITUATIONMAP_UPDATE_OPENAPI=1 dotnet test --filter OpenApiSnapshot, then
/// `npm run api` in web/.
/// </summary>
public sealed class OpenApiSnapshotTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task TheDashboardsOpenApiSnapshotMatchesTheServedDocument()
    {
        var served = JsonNode.Parse(await server.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var path = Path.Combine(TestDatabase.RepoRoot(), "web", "openapi.json");
        if (Environment.GetEnvironmentVariable("SITUATIONMAP_UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(path, served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        Assert.True(File.Exists(path), $"{path} is missing");
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(path));
        Assert.True(JsonNode.DeepEquals(served, snapshot),
            "web/openapi.json differs from the served /openapi/v1.json: run SITUATIONMAP_UPDATE_OPENAPI=1 dotnet test --filter OpenApiSnapshot, then npm run api in web/.");
    }
}
