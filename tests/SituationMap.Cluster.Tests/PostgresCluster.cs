using System.Security.Cryptography;
using Npgsql;

namespace SituationMap.Cluster.Tests;

/// <summary>
/// A PostgreSQL 15 + PostGIS cluster of its own (initdb into a temporary folder, 127.0.0.1 only, a random password), so
/// that a test may stop and restart it without disturbing the cluster the other test projects share. As root, the
/// cluster is created and run as the postgres user (initdb and postgres refuse to run as root), under a folder that user
/// can traverse.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string Bin = "/usr/lib/postgresql/15/bin";
    private static readonly bool IsRoot = Environment.UserName == "root";

    private PostgresCluster(string root, int port, string password)
    {
        Root = root;
        Port = port;
        Password = password;
    }

    /// <summary>The folder holding the data directory (pg/) and the password file.</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "pg");

    public string LogFile => Path.Combine(Root, "server.log");

    public int Port { get; }

    public string Password { get; }

    public static string? MissingTools() =>
        File.Exists(Path.Combine(Bin, "initdb")) && File.Exists(Path.Combine(Bin, "pg_ctl")) ? null
            : $"PostgreSQL 15 is not installed ({Bin}/initdb is missing; scripts/test.sh installs postgresql-15 and postgresql-15-postgis-3)";

    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = Password,
        Database = database,
        Pooling = false,
        Timeout = 15,
    }.ConnectionString;

    public static async Task<PostgresCluster> CreateAsync()
    {
        // as root: somewhere the postgres user can reach (a folder under /tmp made by root is fine when it is 0755)
        var parent = IsRoot ? "/var/lib/situationmap-tests" : Path.Combine(Path.GetTempPath(), "situationmap-tests");
        Directory.CreateDirectory(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var root = Path.Combine(parent, "pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cluster = new PostgresCluster(root, ExternalProcess.FreePort(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        var passwordFile = Path.Combine(root, "password");
        await File.WriteAllTextAsync(passwordFile, cluster.Password);
        if (IsRoot) await ExternalProcess.RunAsync("chown", ["-R", "postgres:postgres", root]);
        await cluster.AsPostgresAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "--auth=scram-sha-256", "--pwfile=" + passwordFile,
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        var conf = $"""

            # SituationMap cluster tests: loopback only, one test class
            listen_addresses = '127.0.0.1'
            port = {cluster.Port}
            unix_socket_directories = '{cluster.DataDirectory}'
            timezone = 'UTC'
            max_connections = 300
            shared_buffers = 128MB
            fsync = off
            synchronous_commit = on
            full_page_writes = off
            log_min_messages = warning

            """;
        await File.AppendAllTextAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), conf);
        await cluster.StartAsync();
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE DATABASE situationmap", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        return cluster;
    }

    private Task<string> AsPostgresAsync(string tool, IEnumerable<string> args, TimeSpan? timeout = null) => IsRoot
        ? ExternalProcess.RunAsync("runuser", new[] { "-u", "postgres", "--", Path.Combine(Bin, tool) }.Concat(args), timeout: timeout)
        : ExternalProcess.RunAsync(Path.Combine(Bin, tool), args, timeout: timeout);

    public async Task StartAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"], TimeSpan.FromSeconds(90));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(e.Message + "\n" + ExternalProcess.Tail(LogFile), e);
        }
    }

    /// <summary>A fast shutdown (open transactions are rolled back, clients disconnected), waiting until it is down.</summary>
    public Task StopAsync() => AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], TimeSpan.FromSeconds(90));

    public async Task<bool> IsRunningAsync() =>
        !(await AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "status"]).ContinueWith(t => t.IsFaulted));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                await AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(40));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            Console.WriteLine("stopping the test cluster: " + e.Message);
        }
        if (Environment.GetEnvironmentVariable(ClusterFixture.KeepVariable) is null && Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
