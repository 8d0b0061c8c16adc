using System.Net.WebSockets;
using System.Text;

namespace SituationMap.Benchmarks;

/// <summary>
/// A SignalR client reduced to what a latency probe needs: a WebSocket, the JSON hub handshake, one Subscribe call,
/// and for every UnitMoved message the "seq" number (found by scanning the text, not by deserialising it). Two
/// hundred full HubConnections in one process cost about as much CPU as the server they measure; these do not.
/// </summary>
public sealed class LeanHubClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] SeqKey = "\"seq\":"u8.ToArray();
    private static readonly byte[] CompletionKey = "\"type\":3"u8.ToArray();
    private static readonly byte[] ResyncKey = "\"ResyncRequired\""u8.ToArray();
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}" + (char)RecordSeparator);
    private readonly ClientWebSocket _socket = new() { Options = { CollectHttpResponseDetails = true } };
    private readonly TaskCompletionSource<string> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _resyncs;

    /// <summary>The node that took the connection (the X-SituationMap-Node header of the WebSocket upgrade), when the
    /// server sends one.</summary>
    public string? Node { get; private set; }

    /// <summary>The Subscribe call's completion message (raw JSON) once it arrived, while ReceiveAsync runs.</summary>
    public Task<string> Accepted => _accepted.Task;

    /// <summary>ResyncRequired notices received (the server stopped delivering: too slow, or a gap).</summary>
    public int Resyncs => Volatile.Read(ref _resyncs);

    public static async Task<LeanHubClient> ConnectAsync(Uri server, string token, string subscribeArgumentJson)
    {
        var client = new LeanHubClient();
        var uri = new UriBuilder(server)
        {
            Scheme = server.Scheme == "https" ? "wss" : "ws",
            Path = "/hubs/live",
            Query = "access_token=" + Uri.EscapeDataString(token),
        }.Uri;
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        if (client._socket.HttpResponseHeaders?.TryGetValue("X-SituationMap-Node", out var node) == true) client.Node = node.FirstOrDefault();
        client._socket.HttpResponseHeaders = null; // not needed after the upgrade
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        await client.SendAsync("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[" + subscribeArgumentJson + "]}");
        return client;
    }

    /// <summary>Reads until the socket closes, reporting (seq, Stopwatch timestamp) for every message that carries a seq.</summary>
    public async Task ReceiveAsync(Action<long, long> onSeq, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>(8192);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close) return;
                var at = System.Diagnostics.Stopwatch.GetTimestamp();
                pending.AddRange(buffer.AsSpan(0, result.Count));
                int end;
                while ((end = pending.IndexOf(RecordSeparator)) >= 0)
                {
                    var message = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)[..end];
                    var i = message.IndexOf(SeqKey);
                    if (i >= 0)
                    {
                        var digits = message[(i + SeqKey.Length)..];
                        long seq = 0;
                        foreach (var b in digits)
                        {
                            if (b is < (byte)'0' or > (byte)'9') break;
                            seq = seq * 10 + (b - '0');
                        }
                        onSeq(seq, at);
                    }
                    else if (message.IndexOf(CompletionKey) >= 0) _accepted.TrySetResult(Encoding.UTF8.GetString(message));
                    else if (message.IndexOf(ResyncKey) >= 0) Interlocked.Increment(ref _resyncs);
                    pending.RemoveRange(0, end + 1);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        catch (ObjectDisposedException)
        {
            // disposed while a receive was pending (the probe was closed without cancelling its receiver first)
        }
    }

    /// <summary>A hub ping: the server closes a connection that sends nothing for its client timeout (30 s by
    /// default), so probes that stay connected longer must ping (one caller at a time).</summary>
    public Task PingAsync() => _socket.State == WebSocketState.Open
        ? _socket.SendAsync(Ping, WebSocketMessageType.Text, true, CancellationToken.None)
        : Task.CompletedTask;

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + (char)RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
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
