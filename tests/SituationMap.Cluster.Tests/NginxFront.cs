using System.Diagnostics;
using System.Globalization;

namespace SituationMap.Cluster.Tests;

/// <summary>
/// nginx in front of the nodes, from the repository's template (scripts/lib/nginx-cluster.conf) with its three
/// placeholders filled in; run in the foreground (the template says daemon off) under the test's control.
/// </summary>
public sealed class NginxFront(string program, string folder, int port) : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = port;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string ErrorLog => Path.Combine(folder, "nginx-error.log");

    public string OutputLog => Path.Combine(folder, "nginx.out");

    public static string? Find() => ExternalProcess.Which("nginx", "/usr/sbin", "/usr/bin", "/usr/local/sbin");

    public static string Render(string template, string state, int port, IEnumerable<int> nodePorts)
    {
        foreach (var placeholder in new[] { "@STATE@", "@PORT@", "@NODES@" })
        {
            if (!template.Contains(placeholder, StringComparison.Ordinal)) throw new InvalidOperationException($"the nginx template has no {placeholder}");
        }
        var nodes = string.Join('\n', nodePorts.Select(p => $"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;"));
        return template.Replace("@STATE@", state, StringComparison.Ordinal)
            .Replace("@PORT@", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@NODES@", nodes, StringComparison.Ordinal);
    }

    public async Task StartAsync(string templatePath, IEnumerable<int> nodePorts)
    {
        var conf = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(conf, Render(await File.ReadAllTextAsync(templatePath), folder, Port, nodePorts));
        await ExternalProcess.RunAsync(program, ["-t", "-c", conf, "-e", ErrorLog, "-p", folder + "/"]);
        _process = ExternalProcess.Start(program, ["-c", conf, "-e", ErrorLog, "-p", folder + "/"], new Dictionary<string, string?>(), OutputLog);
        await ExternalProcess.WaitForPortAsync(Port, "nginx", TimeSpan.FromSeconds(20), () => ExternalProcess.Tail(ErrorLog) + ExternalProcess.Tail(OutputLog));
    }

    public ValueTask DisposeAsync()
    {
        ExternalProcess.Kill(_process);
        _process = null;
        return ValueTask.CompletedTask;
    }
}
