using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SituationMap.Testing;

/// <summary>
/// The real server (Kestrel on a loopback port, so SignalR uses real WebSockets) on its own fresh database.
/// One per test class; tests in a class share it. The server runs as the application role (SITUATIONMAP_APP_DB), as in
/// production, so every test proves the migrations grant it enough; the test's own SQL (Database) runs as the owner.
/// </summary>
public class ServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private WebApplicationFactory<Program>? _factory;
    private bool _ownsDatabase = true;

    public TestDatabase Database { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>A bearer token of the fixture's operator account (roles commander and admin: may do everything).</summary>
    public string Token { get; private set; } = "";

    public const string OperatorName = "operator";

    /// <summary>Extra configuration for this fixture's server (e.g. Live:ConnectionBuffer).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public virtual async Task InitializeAsync() => await StartOnAsync(await TestDatabase.CreateAsync());

    /// <summary>Starts this fixture's server on the given database.</summary>
    protected async Task StartOnAsync(TestDatabase database)
    {
        Database = database;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("SITUATIONMAP_DB", Database.ConnectionString);
            b.UseSetting("SITUATIONMAP_APP_DB", Database.ApplicationConnectionString);
            b.UseSetting("Live:PollInterval", "00:00:00.500");
            foreach (var (key, value) in Settings) b.UseSetting(key, value);
            b.UseEnvironment("Testing");
            b.UseUrls("http://127.0.0.1:0");
        });
        _factory.UseKestrel();
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        BaseAddress = new Uri(addresses.Addresses.Single());
        Token = await CreateTokenAsync(OperatorName, [SituationMap.Server.Accounts.Roles.Commander, SituationMap.Server.Accounts.Roles.Admin], []);
    }

    /// <summary>A bearer token for an account with these roles and districts (created when missing).</summary>
    public async Task<string> CreateTokenAsync(string username, string[] roles, string[] districts)
    {
        await using var scope = Services.CreateAsyncScope();
        using var actor = SituationMap.Server.Audit.AuditActor.Job("tests");
        var accounts = scope.ServiceProvider.GetRequiredService<SituationMap.Server.Accounts.AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<SituationMap.Server.Infrastructure.Database.SituationMapDb>();
        var account = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.Accounts, a => a.Username == username)
            ?? await accounts.CreateAsync(username, username, Password, roles, districts, CancellationToken.None);
        return (await accounts.CreateTokenAsync(account.Id, "tests", null, CancellationToken.None)).Plain;
    }

    /// <summary>The password of the accounts tests create.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>Another server process on the same database, as in a multi-node deployment; disposing it keeps the database.</summary>
    public static async Task<ServerFixture> StartAnotherOnAsync(TestDatabase database)
    {
        var other = new ServerFixture { _ownsDatabase = false };
        await other.StartOnAsync(database);
        return other;
    }

    /// <summary>An HTTP client signed in with a bearer token (the operator's, unless given); token "" = anonymous.</summary>
    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        token ??= Token;
        if (token.Length > 0) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A real SignalR client over WebSockets, started.</summary>
    public async Task<HubConnection> ConnectHubAsync(Action<IHubConnectionBuilder>? configure = null, string? token = null)
    {
        token ??= Token;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/live"), o =>
            {
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                if (token.Length > 0) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .AddJsonProtocol(o => SituationMap.Server.Infrastructure.Json.ApiJson.Configure(o.PayloadSerializerOptions));
        configure?.Invoke(builder);
        var connection = builder.Build();
        await connection.StartAsync();
        return connection;
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        _factory = null;
        if (_ownsDatabase) await Database.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
