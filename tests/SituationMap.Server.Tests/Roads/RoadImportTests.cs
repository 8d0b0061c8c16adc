using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SituationMap.Analysis.Routing;
using SituationMap.Server.Roads;
using SituationMap.Server.Routing;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Roads;

/// <summary>
/// A whole country's OpenStreetMap roads (Liechtenstein, 2013) imported into the roads layer: the server's road network
/// built from the layer is the graph built straight from the file, and routes on it.
/// </summary>
public sealed class RoadImportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AnOsmExtractBecomesTheRoadNetworkTheServerRoutesOn()
    {
        if (GeoDataExternal.Find(Path.Combine("osm-liechtenstein", "liechtenstein-2013-08-03.osm.pbf")) is not { } pbf) return;
        var imported = await RoadImport.ImportAsync(server.Database.DataSource, pbf, CancellationToken.None);
        var (lines, _) = OsmRoadReader.Read(pbf);
        Assert.Equal(lines.Count, imported);
        Assert.Equal(imported, await server.Database.ScalarAsync("SELECT count(*) FROM roads"));
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'import_roads'"));
        // oneway=-1 ways are stored reversed: one_way always runs along the line
        var reversed = lines.Count(l => RoadProfile.ParseOneWay(TravelMode.Car, l) == OneWayDirection.Backward);
        Assert.Equal(lines.Count(l => RoadProfile.ParseOneWay(TravelMode.Car, l) != OneWayDirection.Both),
            await server.Database.ScalarAsync("SELECT count(*) FROM roads WHERE one_way"));
        Console.WriteLine($"{imported} road segments, {reversed} stored reversed");

        var fromFile = OsmRoadReader.BuildGraph(pbf);
        var network = await server.Services.GetRequiredService<RoadNetwork>().GetAsync(CancellationToken.None);
        Assert.NotNull(network);
        // joined at identical coordinates (7 decimals) instead of OSM node ids: nearly the same graph (a line is also cut
        // where another line touches one of its vertices without sharing the OSM node)
        Console.WriteLine($"from the file {fromFile.NodeCount} nodes, {fromFile.EdgeCount} edges; from the layer {network.Graph.NodeCount}, {network.Graph.EdgeCount}");
        Assert.InRange(network.Graph.EdgeCount, fromFile.EdgeCount, fromFile.EdgeCount * 1.005);
        Assert.InRange(network.Graph.NodeCount, fromFile.NodeCount * 0.995, fromFile.NodeCount * 1.005);

        // Vaduz (Städtle) → Schaan (Landstrasse) by car, through the API
        var body = new JsonObject { ["mode"] = "vehicle", ["waypoints"] = new JsonArray(new JsonArray(9.5215, 47.1395), new JsonArray(9.5095, 47.1660)) };
        var response = await server.CreateClient().PostAsync("/api/routing/route", Raw(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var route = await response.JsonAsync();
        Assert.InRange(route.GetProperty("length_m").GetDouble(), 2_900, 6_000);
        Assert.InRange(route.GetProperty("seconds").GetDouble(), 150, 600);
    }
}
