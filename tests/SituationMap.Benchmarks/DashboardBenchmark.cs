using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace SituationMap.Benchmarks;

/// <summary>
/// The dashboard in a real browser (Debian's headless Chromium, WebGL through SwiftShader, driven over the Chrome
/// DevTools Protocol — no extra package): against the running server (it must serve web/dist and hold the demo city),
/// at 1920×1080 and 1366×768:
/// <list type="bullet">
/// <item>first meaningful render: ms from navigation start to the first frame drawn with every tile of the first view
/// (the page marks it as situationmap:first-render), cold browser cache, median of 5 loads; and the map's first idle;</item>
/// <item>pan: frames per second while the map pans at a constant speed (MapLibre easing, 2 × 4 s) at zoom 13 and 15;</item>
/// <item>live change latency: ms from the moment the page's own POST /api/incidents returns (the page does nothing
/// with the response: it learns of the incident from the live stream) to the paint that shows its flash marker, to
/// the first map frame whose incident layer draws it, and to the paint that lists it in the feed; 20 incidents, one
/// page clock for both ends.</item>
/// </list>
/// Usage: scripts/bench.sh web (or SituationMap.Benchmarks web --server URL --db "…" with BENCH_TOKEN, BENCH_WEB_USER and BENCH_WEB_PASSWORD).
/// </summary>
public static class DashboardBenchmark
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchOptions options)
    {
        var results = new List<BenchResult>();
        foreach (var (width, height) in new[] { (1920, 1080), (1366, 768) })
        {
            await using var browser = await CdpBrowser.LaunchAsync(width, height);
            await SignInAsync(browser, options.Server);
            var size = $"{width}×{height}";
            var firsts = new List<double>();
            var idles = new List<double>();
            for (var run = 0; run < 5; run++)
            {
                var (first, idle) = await LoadAsync(browser, options.Server);
                firsts.Add(first);
                idles.Add(idle);
                Console.WriteLine($"web {size}: load {run + 1}: first render {first:0} ms, idle {idle:0} ms");
            }
            results.Add(new BenchResult("dashboard", $"first meaningful render, {size}", Median(firsts), "ms", "< 2000 ms",
                $"navigation → first frame with every tile of the first view (cold cache; median of 5, min {firsts.Min():0}, max {firsts.Max():0})"));
            results.Add(new BenchResult("dashboard", $"map idle, {size}", Median(idles), "ms", null, "navigation → MapLibre 'idle' after the first snapshot (labels placed, all sources loaded)"));

            foreach (var zoom in new[] { 13.0, 15.0 })
            {
                var pan = await browser.EvaluateAsync(PanScript(zoom));
                var fps = pan["fps"]!.GetValue<double>();
                Console.WriteLine($"web {size}: pan at z{zoom}: {fps:0.0} fps, p95 frame {pan["p95"]!.GetValue<double>():0} ms");
                results.Add(new BenchResult("dashboard", $"pan at z{zoom:0}, {size}", fps, "fps", null,
                    $"constant-speed pan 2 × 4 s; frame time p50 {pan["p50"]!.GetValue<double>():0} ms, p95 {pan["p95"]!.GetValue<double>():0} ms"));
            }

            var live = await browser.EvaluateAsync(LiveScript(20));
            List<double> Times(string name) => live[name]!.AsArray().Select(n => n!.GetValue<double>()).Order().ToList();
            foreach (var (name, what) in new[]
            {
                ("flash", "the new incident's flash marker (its dot and rings, DOM) painted"),
                ("map", "the map's incident layer (WebGL) drew it"),
                ("feed", "the feed listed it (painted)"),
            })
            {
                var times = Times(name);
                Console.WriteLine($"web {size}: live change → {name} p50 {Percentiles.Of(times, 50):0} ms, p95 {Percentiles.Of(times, 95):0} ms, max {times[^1]:0} ms");
                results.Add(new BenchResult("dashboard", $"live change on screen ({name}), p50, {size}", Percentiles.Of(times, 50), "ms", "< 500 ms",
                    $"POST /api/incidents returned → {what}; {times.Count} incidents, p95 {Percentiles.Of(times, 95):0} ms, max {times[^1]:0} ms"));
            }
        }
        return results;
    }

    /// <summary>Signs the browser in (session cookie) as BENCH_WEB_USER with BENCH_WEB_PASSWORD (scripts/bench.sh creates them).</summary>
    private static async Task SignInAsync(CdpBrowser browser, Uri server)
    {
        var user = Environment.GetEnvironmentVariable("BENCH_WEB_USER");
        var password = Environment.GetEnvironmentVariable("BENCH_WEB_PASSWORD");
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
            throw new ArgumentException("BENCH_WEB_USER and BENCH_WEB_PASSWORD are required (scripts/bench.sh web creates the account).");
        await browser.NavigateAsync(new Uri(server, "/").ToString());
        var body = JsonSerializer.Serialize(new { username = user, password });
        var result = await browser.EvaluateAsync($$"""
            fetch('/api/auth/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: {{JsonSerializer.Serialize(body)}} })
              .then((r) => ({ status: r.status }))
            """);
        if (result["status"]!.GetValue<int>() != 200) throw new InvalidOperationException($"sign-in as {user}: HTTP {result["status"]}");
    }

    private static double Median(List<double> values) => Percentiles.Of(values.Order().ToList(), 50);

    private static async Task<(double First, double Idle)> LoadAsync(CdpBrowser browser, Uri server)
    {
        await browser.NavigateAsync(new Uri(server, "/").ToString());
        var result = await browser.EvaluateAsync("""
            new Promise((resolve) => {
              const wait = () => window.__situationMap
                ? window.__situationMap.ready.then((idle) => {
                    const first = () => window.__situationMap.firstRenderMs();
                    const done = () => first() !== null ? resolve({ first: first(), idle }) : setTimeout(done, 20);
                    done();
                  })
                : setTimeout(wait, 20);
              wait();
            })
            """);
        return (result["first"]!.GetValue<double>(), result["idle"]!.GetValue<double>());
    }

    private static string PanScript(double zoom) => $$"""
        (async () => {
          const m = window.__situationMap.map;
          await new Promise((r) => { m.once('idle', () => r(true)); m.jumpTo({ center: [114.899, 40.8035], zoom: {{zoom.ToString(CultureInfo.InvariantCulture)}} }); m.triggerRepaint(); });
          const times = [];
          let last = performance.now();
          const onRender = () => { const now = performance.now(); times.push(now - last); last = now; };
          const started = performance.now();
          m.on('render', onRender);
          for (const dx of [700, -700]) {
            await new Promise((r) => { m.once('moveend', () => r(true)); m.panBy([dx, dx / 4], { duration: 4000, easing: (t) => t }); });
          }
          m.off('render', onRender);
          const elapsed = performance.now() - started;
          times.sort((a, b) => a - b);
          const at = (p) => times[Math.min(times.length - 1, Math.floor(p / 100 * times.length))];
          return { fps: times.length / (elapsed / 1000), p50: at(50), p95: at(95), frames: times.length };
        })()
        """;

    private static string LiveScript(int count) => $$"""
        (async () => {
          const sm = window.__situationMap;
          const m = sm.map;
          await new Promise((r) => { m.once('idle', () => r(true)); m.jumpTo({ center: [114.899, 40.8035], zoom: 13 }); m.triggerRepaint(); });
          const mapTimes = [], feedTimes = [], flashTimes = [], ids = [];
          // resolves at the first animation frame (a paint) after the condition holds
          const painted = (condition) => new Promise((resolve) => {
            const poll = () => condition() ? requestAnimationFrame(() => resolve(performance.now())) : setTimeout(poll, 5);
            poll();
          });
          for (let i = 0; i < {{count}}; i++) {
            const lon = 114.88 + (i % 5) * 0.008, lat = 40.79 + Math.floor(i / 5) * 0.006;
            const body = { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: {
              category: 'public_order', severity: 2, occurred_at: new Date(Date.now() - 60000).toISOString(),
              address: 'benchmark', description: 'dashboard latency probe' } };
            // the response is handed to no one: the page must learn about the incident from the live stream
            const response = await fetch('/api/incidents', { method: 'POST', headers: { 'Content-Type': 'application/geo+json', 'X-CSRF-TOKEN': sm.session().csrf_token }, body: JSON.stringify(body) });
            const returned = performance.now();
            const id = (await response.json()).id;
            ids.push(id);
            const onMap = new Promise((resolve) => {
              const check = () => { if (sm.renderedIncident(id) !== null) { m.off('render', check); resolve(performance.now()); } };
              m.on('render', check);
              check();
            });
            const inFeed = painted(() => sm.feedIds().includes(id));
            const flashed = painted(() => document.querySelector(`.pulse-marker[data-id="${id}"]`) !== null);
            const [mapAt, feedAt, flashAt] = await Promise.all([onMap, inFeed, flashed]);
            mapTimes.push(mapAt - returned);
            feedTimes.push(feedAt - returned);
            flashTimes.push(flashAt - returned);
            await new Promise((r) => setTimeout(r, 300));
          }
          for (const id of ids) await fetch('/api/incidents/' + id, { method: 'DELETE', headers: { 'X-CSRF-TOKEN': sm.session().csrf_token } });
          return { map: mapTimes, feed: feedTimes, flash: flashTimes };
        })()
        """;

    /// <summary>Just enough of the Chrome DevTools Protocol: one page, navigate, evaluate.</summary>
    private sealed class CdpBrowser : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _profile;
        private readonly ClientWebSocket _socket = new();
        private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
        private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
        private readonly CancellationTokenSource _stop = new();
        private int _nextId;
        private Task _reader = Task.CompletedTask;

        private CdpBrowser(Process process, string profile)
        {
            _process = process;
            _profile = profile;
        }

        public static async Task<CdpBrowser> LaunchAsync(int width, int height)
        {
            if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing (apt-get install chromium).");
            var profile = Directory.CreateTempSubdirectory("sm-bench-chromium-").FullName;
            var start = new ProcessStartInfo(Chromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--remote-debugging-port=0", $"--user-data-dir={profile}",
                $"--window-size={width},{height}", "--lang=zh-CN", "about:blank",
            })
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var browser = new CdpBrowser(process, profile);
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            for (var i = 0; i < 200 && !File.Exists(portFile); i++) await Task.Delay(50);
            var port = int.Parse((await File.ReadAllLinesAsync(portFile))[0], CultureInfo.InvariantCulture);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!;
            await browser._socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
            browser._reader = Task.Run(browser.ReadAsync);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Network.enable");
            await browser.SendAsync("Network.setCacheDisabled", new JsonObject { ["cacheDisabled"] = true });
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
            {
                ["width"] = width,
                ["height"] = height,
                ["deviceScaleFactor"] = 1,
                ["mobile"] = false,
            });
            await browser.SendAsync("Emulation.setTimezoneOverride", new JsonObject { ["timezoneId"] = "Asia/Shanghai" });
            return browser;
        }

        public async Task NavigateAsync(string url)
        {
            while (_events.Reader.TryRead(out _))
            {
            }
            await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await _events.Reader.ReadAsync(timeout.Token) != "Page.loadEventFired")
            {
            }
        }

        /// <summary>Evaluates an expression in the page (awaiting a promise) and returns its JSON value.</summary>
        public async Task<JsonObject> EvaluateAsync(string expression)
        {
            var response = await SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = expression,
                ["awaitPromise"] = true,
                ["returnByValue"] = true,
                ["timeout"] = 300_000,
            });
            if (response["exceptionDetails"] is { } error) throw new InvalidOperationException("page: " + error.ToJsonString());
            return response["result"]!["value"]!.AsObject();
        }

        private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
        {
            var id = Interlocked.Increment(ref _nextId);
            var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pending) _pending[id] = done;
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
            var result = await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            if (result["error"] is { } e) throw new InvalidOperationException($"{method}: {e.ToJsonString()}");
            return result["result"]?.AsObject() ?? [];
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[1 << 16];
            var message = new MemoryStream();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var read = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (read.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, read.Count);
                    if (!read.EndOfMessage) continue;
                    var json = JsonNode.Parse(message.ToArray())!.AsObject();
                    message.SetLength(0);
                    if (json["id"] is { } id)
                    {
                        TaskCompletionSource<JsonObject>? done;
                        lock (_pending) _pending.Remove(id.GetValue<int>(), out done);
                        done?.TrySetResult(json);
                    }
                    else if (json["method"] is { } method)
                    {
                        _events.Writer.TryWrite(method.GetValue<string>());
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (WebSocketException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                if (_socket.State == WebSocketState.Open) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
            _socket.Dispose();
            await _reader;
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            _stop.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
