using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Npgsql;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace SituationMap.Cluster.Tests;

/// <summary>
/// A small deployment on loopback, per test class: its own PostgreSQL 15 cluster, redis-server, two server nodes (real
/// processes) and nginx in front of them (the repository's template), with free ports and temporary folders, all
/// stopped and removed at dispose (set SITUATIONMAP_KEEP_CLUSTER=1 to keep the folders and logs). Two districts side
/// by side: west SA and east SB. When a tool is missing the fixture starts nothing and <see cref="SkipReason"/> says why.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public const string KeepVariable = "SITUATIONMAP_KEEP_CLUSTER";
    public const double West = 118.00, East = 118.02, Lat = 41.00, Half = 0.0099;
    public const string OperatorName = "operator";

    private readonly List<ServerNode> _nodes = [];
    private string _folder = "";

    public string? SkipReason { get; private set; }

    public PostgresCluster Postgres { get; private set; } = null!;

    public RedisServer? Redis { get; private set; }

    public NginxFront Nginx { get; private set; } = null!;

    public IReadOnlyList<ServerNode> Nodes => _nodes;

    public string DatabaseConnectionString => new NpgsqlConnectionStringBuilder(Postgres.ConnectionString("situationmap")) { Pooling = false }.ConnectionString;

    /// <summary>Bearer token of an unscoped commander + admin.</summary>
    public string OperatorToken { get; private set; } = "";

    /// <summary>Whether the nodes are given Cluster__Redis.</summary>
    protected virtual bool UseRedis => true;

    protected virtual int NodeCount => 2;

    /// <summary>More configuration for every node (environment variables, e.g. Hotspots__RefreshInterval).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public string ServerDll { get; private set; } = "";

    public async Task InitializeAsync()
    {
        SkipReason = Missing();
        if (SkipReason is not null)
        {
            Console.WriteLine("SKIPPED: " + SkipReason);
            return;
        }
        ServerDll = FindServerDll();
        _folder = Path.Combine(Path.GetTempPath(), "situationmap-cluster-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_folder, (UnixFileMode)0b111_101_101);
        try
        {
            Postgres = await PostgresCluster.CreateAsync();
            if (UseRedis)
            {
                Redis = new RedisServer(RedisServer.Find()!, _folder, ExternalProcess.FreePort());
                await Redis.StartAsync();
            }
            await RunServerCommandAsync(["migrate"]);
            await EnableApplicationLoginAsync();
            await RunServerCommandAsync(["accounts", "create", "--username", OperatorName, "--roles", "commander,admin", "--password-stdin"], ServerFixture.Password + "\n");
            var tokenOutput = await RunServerCommandAsync(["accounts", "token", "--username", OperatorName, "--name", "cluster tests"]);
            OperatorToken = tokenOutput.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("smt_", StringComparison.Ordinal));
            for (var i = 1; i <= NodeCount; i++)
            {
                var name = "node" + i;
                _nodes.Add(new ServerNode(name, ServerDll, ExternalProcess.FreePort(), () => NodeEnvironment(name), Path.Combine(_folder, name + ".log")));
            }
            await Task.WhenAll(_nodes.Select(n => n.StartAsync()));
            Nginx = new NginxFront(NginxFront.Find()!, _folder, ExternalProcess.FreePort());
            await Nginx.StartAsync(Path.Combine(TestDatabase.RepoRoot(), "scripts", "lib", "nginx-cluster.conf"), _nodes.Select(n => n.Port));
            var client = Client(_nodes[0]);
            await client.CreateAsync("districts", Feature(Square(West, Lat, Half), new JsonObject { ["code"] = "SA", ["name"] = "西区", ["name_en"] = "West" }));
            await client.CreateAsync("districts", Feature(Square(East, Lat, Half), new JsonObject { ["code"] = "SB", ["name"] = "东区", ["name_en"] = "East" }));
            await AfterStartAsync();
        }
        catch
        {
            Console.WriteLine("cluster start-up failed; logs in " + _folder);
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The application role's password (the nodes run as situationmap_app, which the migration created).</summary>
    private readonly string _applicationPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The application role's connection string, as the nodes use it.</summary>
    public string ApplicationConnectionString => new NpgsqlConnectionStringBuilder(Postgres.ConnectionString("situationmap"))
    {
        Username = TestDatabase.ApplicationRole,
        Password = _applicationPassword,
        Pooling = true,
    }.ConnectionString;

    private async Task EnableApplicationLoginAsync()
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString());
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"ALTER ROLE {TestDatabase.ApplicationRole} LOGIN PASSWORD '{_applicationPassword}'", connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>More set-up for a derived fixture, once everything runs.</summary>
    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    private static string? Missing()
    {
        if (PostgresCluster.MissingTools() is { } pg) return pg;
        if (RedisServer.Find() is null) return "redis-server is not installed (scripts/test.sh installs it: apt-get install redis-server)";
        if (NginxFront.Find() is null) return "nginx is not installed (scripts/test.sh installs it: apt-get install nginx)";
        if (Environment.UserName == "root" && ExternalProcess.Which("runuser", "/usr/sbin", "/sbin") is null) return "runuser is missing (needed to run PostgreSQL as the postgres user)";
        return null;
    }

    /// <summary>The server's own build output (its dll next to appsettings.json), in this test build's configuration.</summary>
    private static string FindServerDll()
    {
        if (Environment.GetEnvironmentVariable("SITUATIONMAP_SERVER_DLL") is { Length: > 0 } given) return given;
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = here.Parent?.Name ?? "Release";
        var candidates = new[] { configuration, "Release", "Debug" }
            .Select(c => Path.Combine(TestDatabase.RepoRoot(), "src", "SituationMap.Server", "bin", c, here.Name, "SituationMap.Server.dll"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("SituationMap.Server.dll not found (build the server): " + string.Join(", ", candidates));
    }

    public IReadOnlyDictionary<string, string?> NodeEnvironment(string name)
    {
        var environment = BaseEnvironment(name);
        foreach (var (key, value) in Settings) environment[key] = value;
        return environment;
    }

    private Dictionary<string, string?> BaseEnvironment(string name) => new()
    {
        ["ASPNETCORE_CONTENTROOT"] = Path.GetDirectoryName(ServerDll),
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["SITUATIONMAP_DB"] = new NpgsqlConnectionStringBuilder(Postgres.ConnectionString("situationmap")) { Pooling = true }.ConnectionString,
        ["SITUATIONMAP_APP_DB"] = ApplicationConnectionString,
        ["Cluster__Redis"] = UseRedis ? Redis!.Address : null,
        ["Cluster__NodeName"] = name,
        ["Logging__Console__FormatterName"] = "json",
        ["Live__PollInterval"] = "00:00:00.500",
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    private Task<string> RunServerCommandAsync(string[] args, string? stdin = null) =>
        ExternalProcess.RunAsync("dotnet", new[] { ServerDll }.Concat(args), NodeEnvironment("cli"), stdin, TimeSpan.FromSeconds(120));

    public ServerNode Node(int number) => _nodes[number - 1];

    /// <summary>An HTTP client to a node or to nginx (null), with a bearer token (the operator's unless given).</summary>
    public HttpClient Client(ServerNode? node = null, string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = node?.BaseAddress ?? Nginx.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? OperatorToken);
        return client;
    }

    /// <summary>Creates an account through the admin API and returns a bearer token of it.</summary>
    public async Task<string> CreateAccountAsync(string username, string[] roles, string[] districts)
    {
        var admin = Client(_nodes[0]);
        var body = new JsonObject
        {
            ["username"] = username,
            ["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray()),
            ["districts"] = new JsonArray(districts.Select(d => (JsonNode)d).ToArray()),
            ["password"] = ServerFixture.Password,
        };
        var created = await admin.PostAsync("/api/admin/accounts", Body(body, "application/json"));
        var json = await created.JsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"creating account {username}: {(int)created.StatusCode} {json}");
        var id = json.GetProperty("account").GetProperty("id").GetInt64();
        var token = await admin.PostAsync($"/api/admin/accounts/{id}/tokens", Body(new JsonObject { ["name"] = "cluster tests" }, "application/json"));
        var tokenJson = await token.JsonAsync();
        Assert.True(token.StatusCode == HttpStatusCode.Created, $"token for {username}: {(int)token.StatusCode} {tokenJson}");
        return tokenJson.GetProperty("plain").GetString()!;
    }

    /// <summary>A live client with its own reconnect-and-resubscribe loop, started and subscribed with since.</summary>
    public Task<ResilientLiveClient> ConnectLiveAsync(string label, IReadOnlyList<Uri> endpoints, LiveView view, long since, string? token = null) =>
        ResilientLiveClient.StartAsync(label, endpoints, token ?? OperatorToken, view, since);

    /// <summary>Endpoints of a client that prefers a node and falls back to nginx (as a browser reloading would).</summary>
    public IReadOnlyList<Uri> Via(int node) => [Node(node).BaseAddress, Nginx.BaseAddress];

    public IReadOnlyList<Uri> ViaNginx => [Nginx.BaseAddress];

    public async Task<long> HeadSeqAsync()
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT seq FROM change_log_head", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The change log after a position (exclusive), up to another (inclusive), in order.</summary>
    public async Task<IReadOnlyList<ChangeLogRow>> ChangeLogAsync(long after, long upTo)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT seq, layer, kind, feature_id, districts, min_x, min_y, max_x, max_y FROM change_log WHERE seq > $1 AND seq <= $2 ORDER BY seq", connection);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upTo });
        var rows = new List<ChangeLogRow>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            var districts = reader.GetFieldValue<string?[]>(4);
            rows.Add(new ChangeLogRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                districts.Length > 0 ? districts[0] : null, districts.Length > 1 ? districts[1] : null, D(5), D(6), D(7), D(8)));
        }
        return rows;
    }

    public void KillNode(int number) => Node(number).Kill();

    public Task StartNodeAsync(int number) => Node(number).StartAsync();

    public async Task RestartPostgresAsync(TimeSpan outage)
    {
        await Postgres.StopAsync();
        await Task.Delay(outage);
        await Postgres.StartAsync();
    }

    /// <summary>Log tails of every node, for failure messages.</summary>
    public string Logs(int lines = 20) => string.Join('\n', _nodes.Select(n => ExternalProcess.Tail(n.LogFile, lines)));

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        if (Nginx is not null) await Nginx.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
        Postgres = null!;
        if (_folder.Length > 0 && Directory.Exists(_folder))
        {
            if (Environment.GetEnvironmentVariable(KeepVariable) is null) Directory.Delete(_folder, recursive: true);
            else Console.WriteLine("cluster logs kept in " + _folder);
        }
    }
}

/// <summary>One change-log row, as the filters need it.</summary>
public sealed record ChangeLogRow(long Seq, string Layer, string Kind, long FeatureId, string? OldDistrict, string? NewDistrict,
    double? MinX, double? MinY, double? MaxX, double? MaxY);
