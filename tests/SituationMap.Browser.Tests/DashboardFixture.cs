using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
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
            b.UseSetting("Web:Root", WebDist);
            b.UseSetting("Live:PollInterval", "00:00:00.500");
            b.UseSetting("Demo:Activity", "false");
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

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A page with its own context, recording console messages, page errors and every request.</summary>
    public async Task<DashboardPage> OpenAsync(string locale = "zh-CN", int width = 1920, int height = 1080)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(page, BaseAddress);
        await dashboard.GotoAsync();
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
