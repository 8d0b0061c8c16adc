using System.Diagnostics;
using System.Net;

namespace SituationMap.Cluster.Tests;

/// <summary>One server node: a real `dotnet SituationMap.Server.dll serve` process on its own loopback port.</summary>
public sealed class ServerNode(string name, string serverDll, int port, Func<IReadOnlyDictionary<string, string?>> environment, string logFile)
    : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    public string Name { get; } = name;

    public int Port { get; } = port;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string LogFile { get; } = logFile;

    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running");

    public bool Running => _process is { HasExited: false };

    public async Task StartAsync()
    {
        if (Running) throw new InvalidOperationException($"{Name} is already running");
        File.AppendAllText(LogFile, $"==== start {DateTimeOffset.UtcNow:O}\n");
        _process = ExternalProcess.Start("dotnet", [serverDll, "serve", "--urls", $"http://127.0.0.1:{Port}"], environment(), LogFile);
        await WaitLiveAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until the node answers /health/live (or, on a server without it, /health) with 200.</summary>
    public async Task WaitLiveAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process is { HasExited: true }) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting.\n{ExternalProcess.Tail(LogFile, 60)}");
            try
            {
                using var live = await Probe.GetAsync(new Uri(BaseAddress, "/health/live"));
                if (live.StatusCode == HttpStatusCode.OK) return;
                // a server without /health/live (it answers 401 or 404 there): its one health check
                using var health = await Probe.GetAsync(new Uri(BaseAddress, "/health"));
                if (health.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} was not live on port {Port} within {timeout}.\n{ExternalProcess.Tail(LogFile, 60)}");
            await Task.Delay(200);
        }
    }

    /// <summary>kill -9 of the node (and anything it started): no shutdown, no goodbye to its clients.</summary>
    public void Kill()
    {
        ExternalProcess.Kill(_process);
        File.AppendAllText(LogFile, $"==== killed {DateTimeOffset.UtcNow:O}\n");
        _process = null;
    }

    public long ResidentBytes() => ExternalProcess.ResidentBytes(Pid);

    public ValueTask DisposeAsync()
    {
        ExternalProcess.Kill(_process);
        _process = null;
        return ValueTask.CompletedTask;
    }
}
