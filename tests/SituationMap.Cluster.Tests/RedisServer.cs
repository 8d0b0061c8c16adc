using System.Diagnostics;

namespace SituationMap.Cluster.Tests;

/// <summary>redis-server on its own loopback port, without persistence; tests stop and start it.</summary>
public sealed class RedisServer(string program, string folder, int port) : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = port;

    public string Address => $"127.0.0.1:{Port}";

    public string LogFile => Path.Combine(folder, "redis.log");

    public bool Running => _process is { HasExited: false };

    public static string? Find() => ExternalProcess.Which("redis-server", "/usr/bin", "/usr/sbin", "/usr/local/bin");

    public async Task StartAsync()
    {
        _process = ExternalProcess.Start(program,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", folder, "--protected-mode", "yes"],
            new Dictionary<string, string?>(), LogFile);
        await ExternalProcess.WaitForPortAsync(Port, "redis-server", TimeSpan.FromSeconds(20), () => ExternalProcess.Tail(LogFile));
    }

    /// <summary>Kills redis-server (as a crash would: no goodbye to its clients).</summary>
    public void Stop()
    {
        ExternalProcess.Kill(_process);
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
