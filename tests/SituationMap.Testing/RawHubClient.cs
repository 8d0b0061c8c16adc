using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Testing;

/// <summary>
/// A SignalR client speaking the JSON hub protocol over a bare WebSocket. Unlike HubConnection (which keeps reading
/// and buffers in memory), it reads only when asked, so a test can make a client that truly stops reading and lets
/// TCP push back on the server. Like every SignalR client it sends a ping every 10 s whether or not it reads, so a slow
/// test run does not end the connection by the server's client timeout (30 s without a message).
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private int _invocationId;

    public static async Task<RawHubClient> ConnectAsync(Uri baseAddress, string token)
    {
        var client = new RawHubClient();
        client._socket.Options.SetBuffer(4096, 4096);
        var uri = new UriBuilder(baseAddress)
        {
            Scheme = baseAddress.Scheme == "https" ? "wss" : "ws",
            Path = "/hubs/live",
            Query = "access_token=" + Uri.EscapeDataString(token),
        }.Uri;
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.ReadAsync(TimeSpan.FromSeconds(10));
        if (handshake.TryGetProperty("error", out var error)) throw new InvalidOperationException("handshake: " + error);
        _ = client.KeepAliveAsync();
        return client;
    }

    public Task InvokeAsync(string target, object argument) =>
        SendAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["type"] = 1,
            ["invocationId"] = (++_invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["target"] = target,
            ["arguments"] = new[] { argument },
        }, ApiJson.Options));

    /// <summary>The next hub message (pings skipped).</summary>
    public async Task<JsonElement> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                using var doc = JsonDocument.Parse(text[..end]);
                var message = doc.RootElement.Clone();
                if (message.TryGetProperty("type", out var type) && type.GetInt32() == 6) continue;
                return message;
            }
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("the server closed the connection");
            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    private async Task SendAsync(string json)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token) && _socket.State == WebSocketState.Open) await SendAsync("{\"type\":6}");
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // closing
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        _socket.Dispose();
    }
}
