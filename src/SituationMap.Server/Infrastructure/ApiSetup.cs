using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Live;
using SituationMap.Server.Tiles;

namespace SituationMap.Server.Infrastructure;

public static class ApiSetup
{
    /// <summary>Largest request body accepted anywhere (a big batch of positions, a detailed zone polygon).</summary>
    public const long MaxRequestBytes = 8 * 1024 * 1024;

    public static IServiceCollection AddSituationMapApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestProblems.Describe);
        // a body or parameter that does not bind throws, so the handler below can name the place (RequestProblems)
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o
            .AddSchemaTransformer<GeoJsonSchemaTransformer>()
            .AddOperationTransformer<SnakeCaseQueryTransformer>()
            // the document is the same wherever it is served from (web/openapi.json is a snapshot of it)
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Servers = [];
                return Task.CompletedTask;
            }));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBytes);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxRequestBytes);
        // behind the TLS proxy (scripts/lib/nginx-cluster.conf): the client's address and scheme come from
        // X-Forwarded-For/-Proto, but only when the request comes from a trusted proxy (Proxy:KnownProxies, addresses;
        // Proxy:KnownNetworks, CIDR; default: loopback only). From anywhere else the headers are ignored.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            var proxies = configuration.GetSection("Proxy:KnownProxies").Get<string[]>() ?? [];
            var networks = configuration.GetSection("Proxy:KnownNetworks").Get<string[]>() ?? [];
            if (proxies.Length + networks.Length > 0)
            {
                // configured: exactly these (loopback only if listed)
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
            }
            foreach (var proxy in proxies) o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            foreach (var network in networks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/geo+json", "application/problem+json", TilesApi.MvtContentType]);
        });
        return services;
    }

    /// <summary>Only this server may provide scripts, styles, images, connections and workers; no framing; no sniffing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSituationMapPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use((context, next) =>
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy = ContentSecurityPolicy;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Cross-Origin-Resource-Policy"] = "same-origin";
            return next(context);
        });
        app.Use((context, next) =>
        {
            // NUL and other control characters have no business in a query and PostgreSQL text cannot hold NUL
            foreach (var (key, values) in context.Request.Query)
            {
                if (key.Any(char.IsControl) || values.Any(v => v is not null && v.Any(c => char.IsControl(c) && c is not '\t')))
                {
                    return ApiProblems.Single("?" + new string(key.Where(c => !char.IsControl(c)).Take(40).ToArray()),
                        "must not contain control characters (such as NUL).").ExecuteAsync(context);
                }
            }
            return next(context);
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteUnhandledProblemAsync,
            // a database outage is expected in operation and answered with 503: one warning line, not an error with a
            // stack trace per request
            SuppressDiagnosticsCallback = c => DatabaseErrors.IsUnavailable(c.Exception) || DatabaseErrors.IsConflict(c.Exception)
                || c.Exception is BadHttpRequestException, // the client's mistake, answered with a 4xx: no error log
        });
        app.UseStatusCodePages();
        app.UseResponseCompression();
        app.UseWebDashboard();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }

    /// <summary>The database is down or restarting, or the transaction lost a deadlock: 503 with Retry-After. Nothing was
    /// acknowledged, so nothing is lost: a write either committed before its 2xx or failed as a whole.</summary>
    private static IResult Unavailable(HttpContext context, string why)
    {
        var seconds = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Cluster.ClusterOptions>>().Value.RetryAfterSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Cluster.ClusterMetrics.Unavailable.Add(1);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("SituationMap.Unavailable").LogWarning(
            "{Method} {Path} answered 503: {Why}", context.Request.Method, context.Request.Path.Value, why);
        return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Try again shortly.",
            $"{why} Retry in {seconds} s.");
    }

    /// <summary>
    /// Last line of defence: a body larger than the limit is a 413, a malformed request a 400, anything else a 500
    /// without internals (no stack trace leaves the server; it is logged).
    /// </summary>
    private static async Task WriteUnhandledProblemAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ApiProblems.Problem(
                StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Request too large.",
                $"The body exceeds the limit of {MaxRequestBytes / (1024 * 1024)} MiB for this endpoint."),
            BadHttpRequestException bad when RequestProblems.FromUnboundBody(bad) is { } unbound => unbound,
            BadHttpRequestException bad => ApiProblems.Problem(bad.StatusCode, "bad-request", "Bad request.", bad.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => ApiProblems.Problem(
                499, "client-closed", "Client closed the request.", "The request was cancelled."),
            _ when DatabaseErrors.IsConflict(error) => Unavailable(context, "A concurrent write to the same features got in the way; nothing of this request was written."),
            _ when DatabaseErrors.IsUnavailable(error) => Unavailable(context, "The database cannot be reached right now, so this request was not completed."),
            _ => ApiProblems.Problem(StatusCodes.Status500InternalServerError, "internal", "Internal error.",
                "The server failed to handle the request; it has been logged. Trace id: " + context.TraceIdentifier),
        };
        await result.ExecuteAsync(context);
    }
}
