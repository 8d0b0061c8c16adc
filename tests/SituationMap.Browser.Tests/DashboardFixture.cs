using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Testing;

namespace SituationMap.Browser.Tests;

/// <summary>
/// The real server with the built dashboard (web/dist) on a fresh PostGIS database holding the demo city (100,000
/// incidents), on a fixed loopback port so that it can be stopped and started again under the page's feet, and one
/// headless Debian Chromium for all tests. Shared by the tests of the "Dashboard" collection, which run one at a time.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; Playwright's own browser download cannot work here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private WebApplicationFactory<Program>? _server;
    private IPlaywright? _playwright;

    public TestDatabase Database { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string WebDist => Path.Combine(TestDatabase.RepoRoot(), "web", "dist");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebDist, "index.html")))
            throw new InvalidOperationException($"The dashboard is not built ({WebDist}/index.html is missing): run npm run build in web/.");
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium fonts-wqy-zenhei.");
        Database = await TestDatabase.CreateAsync();
        await new DemoDataLoader(Database.DataSource, NullLogger<DemoDataLoader>.Instance).LoadAsync(100_000, ifEmpty: true, reset: false, CancellationToken.None);
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        StartServer();
        Token = await CreateAccountAsync(OperatorName, [Roles.Commander, Roles.Admin], []);
        await CreateAccountAsync(ViewerName, [Roles.Viewer], []);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>Starts the server (again) on this fixture's port and database.</summary>
    public void StartServer()
    {
        _server = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("SITUATIONMAP_DB", Database.ConnectionString);
            b.UseSetting("SITUATIONMAP_APP_DB", Database.ApplicationConnectionString); // the role run.sh serves as
            b.UseSetting("Web:Root", WebDist);
            b.UseSetting("Live:PollInterval", "00:00:00.500");
            b.UseSetting("Demo:Activity", "false");
            b.UseSetting("Hotspots:RefreshInterval", "00:00:02");
            // Every page signs in from 127.0.0.1, more than the default 10 a minute on a fast machine; the limit
            // itself is tested in SituationMap.Server.Tests (SignInRateLimitTests).
            b.UseSetting("Auth:SignInsPerMinute", "1000");
            b.UseEnvironment("Testing");
            b.UseShutdownTimeout(TimeSpan.FromSeconds(2)); // a stop should not wait for the page's WebSocket to close
            b.UseUrls(BaseAddress.ToString().TrimEnd('/'));
        });
        _server.UseKestrel();
        _server.StartServer();
    }

    /// <summary>Stops the server as a restart would (its connections close; the database stays).</summary>
    public async Task StopServerAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _server = null;
    }

    /// <summary>An account with commander and admin roles: everything operational (its bearer token is <see cref="Token"/>).</summary>
    public const string OperatorName = "operator";

    /// <summary>A read-only account.</summary>
    public const string ViewerName = "viewer";

    /// <summary>The operator's bearer token, for the API calls tests make besides the page.</summary>
    public string Token { get; private set; } = "";

    /// <summary>Creates an account (password <see cref="ServerFixture.Password"/>) and returns a bearer token for it.</summary>
    public async Task<string> CreateAccountAsync(string username, string[] roles, string[] districts)
    {
        await using var scope = _server!.Services.CreateAsyncScope();
        using var actor = AuditActor.Job("browser tests");
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var account = await accounts.CreateAsync(username, username, ServerFixture.Password, roles, districts, CancellationToken.None);
        return (await accounts.CreateTokenAsync(account.Id, "browser tests", null, CancellationToken.None)).Plain;
    }

    /// <summary>An API client with the operator's bearer token.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return client;
    }

    /// <summary>
    /// A page with its own context, recording console messages, page errors and every request; signed in (session
    /// cookie from POST /api/auth/sign-in) as <paramref name="account"/> before the dashboard loads, or not at all
    /// when it is null (the page then shows the sign-in form).
    /// </summary>
    public async Task<DashboardPage> OpenAsync(string locale = "zh-CN", int width = 1920, int height = 1080, string? account = OperatorName)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            TimezoneId = "Asia/Shanghai",
        });
        if (account is not null)
        {
            var response = await context.APIRequest.PostAsync(new Uri(BaseAddress, "/api/auth/sign-in").ToString(), new APIRequestContextOptions
            {
                DataObject = new { username = account, password = ServerFixture.Password },
            });
            if (!response.Ok) throw new InvalidOperationException($"sign-in as {account}: {response.Status} {await response.TextAsync()}");
        }
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(page, BaseAddress);
        await dashboard.GotoAsync(expectDashboard: account is not null);
        return dashboard;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await StopServerAsync();
        if (Database is not null) await Database.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition("Dashboard")]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>;
