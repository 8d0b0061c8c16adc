using System.Net;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Cameras;

/// <summary>Every camera's status periods are kept (for the evidence finder: which cameras were recording then).</summary>
public sealed class CameraStatusHistoryTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    private Task<long> CountAsync(string where) => server.Database.ScalarAsync($"SELECT count(*) FROM camera_status_history WHERE {where}");

    [Fact]
    public async Task EachStatusChangeClosesOnePeriodAndOpensTheNextAndTheStatusAtAnyTimeCanBeAsked()
    {
        var id = (await _client.CreateAsync("cameras", Api.Camera())).Id();
        Assert.Equal(1, await CountAsync($"camera_id = {id} AND status = 'online' AND valid_to IS NULL"));

        await server.Database.ExecuteAsync($"UPDATE cameras SET status = 'fault' WHERE id = {id}");
        await server.Database.ExecuteAsync($"UPDATE cameras SET heading_deg = 45 WHERE id = {id}"); // not a status change
        await server.Database.ExecuteAsync($"UPDATE cameras SET status = 'online' WHERE id = {id}");

        Assert.Equal(3, await CountAsync($"camera_id = {id}"));
        Assert.Equal(1, await CountAsync($"camera_id = {id} AND valid_to IS NULL"));
        // the periods follow each other without gaps or overlaps
        Assert.Equal(0, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM (SELECT valid_to, lead(valid_from) OVER (ORDER BY valid_from) AS next FROM camera_status_history WHERE camera_id = {id}) p " +
            "WHERE p.next IS NOT NULL AND p.valid_to IS DISTINCT FROM p.next"));
        Assert.Equal(1, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM camera_status_history WHERE camera_id = {id} AND status = 'fault' " +
            $"AND sm_camera_status_at({id}, valid_from + (valid_to - valid_from) / 2) = 'fault'"));
        Assert.Equal(1, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM cameras WHERE id = {id} AND sm_camera_status_at(id, now()) = 'online' AND sm_camera_status_at(id, created_at - interval '1 day') IS NULL"));
    }

    [Fact]
    public async Task ADeletedCameraKeepsItsHistoryWithTheLastPeriodClosed()
    {
        var id = (await _client.CreateAsync("cameras", Api.Camera(heading: 10))).Id();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/cameras/{id}")).StatusCode);
        Assert.Equal(1, await CountAsync($"camera_id = {id}"));
        Assert.Equal(0, await CountAsync($"camera_id = {id} AND valid_to IS NULL"));
    }
}
