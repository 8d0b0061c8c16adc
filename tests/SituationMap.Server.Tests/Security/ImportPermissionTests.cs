using System.Net.Sockets;
using System.Text;
using SituationMap.Server.Accounts;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Security;

public sealed class ImportPermissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>
    /// Over a raw connection: the headers announce a 100 MB upload and only its first bytes are sent. A server that read
    /// the body before checking the permission would wait for the rest; this one answers 403 at once.
    /// </summary>
    [Fact]
    public async Task AReadOnlyAccountIsRefusedBeforeTheUploadIsRead()
    {
        var token = await server.CreateTokenAsync("import-viewer", [Roles.Viewer], []);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        const string boundary = "stalled-boundary";
        var head = $"POST /api/imports?wait=true HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n"
            + $"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 100000000\r\n\r\n"
            + $"--{boundary}\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{{\"layer\":\"incidents\"}}\r\n"
            + $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.geojson\"\r\n\r\n{{\"type\":\"FeatureCollection\",";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();

        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var response = Encoding.UTF8.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 403", response);
        Assert.Contains("application/problem+json", response);
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT count(*) FROM incidents"));
    }
}
