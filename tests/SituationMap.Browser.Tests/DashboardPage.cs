using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace SituationMap.Browser.Tests;

/// <summary>One dashboard tab and what it did: console messages, page errors, requests. Reads the page's state through
/// window.__situationMap (the map object and read-only views the app exposes for tests).</summary>
public sealed class DashboardPage(IPage page, Uri baseAddress) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public ConcurrentQueue<string> ConsoleErrors { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<(int Status, string Url)> FailedResponses { get; } = new();

    /// <summary>Opens the page; with <paramref name="expectDashboard"/> waits until the dashboard's first snapshot is on screen.</summary>
    public async Task GotoAsync(bool expectDashboard = true)
    {
        Page.Console += (_, m) =>
        {
            if (m.Type == "error") ConsoleErrors.Enqueue($"{m.Text} ({m.Location})");
        };
        Page.PageError += (_, e) => ConsoleErrors.Enqueue("page error: " + e);
        Page.Request += (_, r) => Requests.Enqueue(r.Url);
        Page.Response += (_, r) =>
        {
            if (r.Status >= 400) FailedResponses.Enqueue((r.Status, r.Url));
        };
        await Page.GotoAsync(baseAddress.ToString());
        if (expectDashboard) await WaitForDashboardAsync();
    }

    /// <summary>Waits until the dashboard started (after sign-in) and its first snapshot is on screen.</summary>
    public async Task WaitForDashboardAsync()
    {
        await Page.WaitForFunctionAsync("() => window.__situationMap !== undefined", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await Page.EvaluateAsync("() => window.__situationMap.ready");
    }

    /// <summary>Waits until a JavaScript expression over `sm` (window.__situationMap) is truthy.</summary>
    public async Task WaitForAsync(string expression, string what, int timeoutMs = 15_000)
    {
        try
        {
            await Page.WaitForFunctionAsync($"() => {{ const sm = window.__situationMap; return !!({expression}); }}", null,
                new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 50 });
        }
        catch (TimeoutException e)
        {
            var log = await Page.EvaluateAsync<string[]>("() => window.__situationMap.log()");
            throw new TimeoutException($"Timed out waiting for {what} ({expression}). Page log: {string.Join(" | ", log.TakeLast(10))}", e);
        }
    }

    public Task<T> EvalAsync<T>(string expression) =>
        Page.EvaluateAsync<T>($"() => {{ const sm = window.__situationMap; return ({expression}); }}");

    /// <summary>The incident as the map draws it right now (tiles or live overlay), or null when it is not drawn.</summary>
    public async Task<JsonElement?> RenderedIncidentAsync(long id)
    {
        var result = await EvalAsync<JsonElement>($"sm.renderedIncident({id})");
        return result.ValueKind == JsonValueKind.Null ? null : result;
    }

    public Task<long[]> FeedIdsAsync() => EvalAsync<long[]>("sm.feedIds()");

    public Task<string> ConnectionPhaseAsync() => EvalAsync<string>("sm.connection()?.phase ?? 'none'");

    public async Task<string> TextAsync(string selector) => (await Page.Locator(selector).First.TextContentAsync() ?? string.Empty).Trim();

    /// <summary>Moves the map and waits until it has drawn the new view.</summary>
    public Task JumpToAsync(double lon, double lat, double zoom) =>
        Page.EvaluateAsync("([lon, lat, zoom]) => new Promise((resolve) => { const m = window.__situationMap.map; m.once('idle', () => resolve(true)); m.jumpTo({ center: [lon, lat], zoom }); m.triggerRepaint(); })",
            new object[] { lon, lat, zoom });

    public ValueTask DisposeAsync() => new(Page.Context.CloseAsync());
}
