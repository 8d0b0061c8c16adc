using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Accounts;

/// <summary>
/// Authentication (a browser session cookie, or a bearer token for API clients and integrations), one authorization
/// policy per permission with a deny-by-default fallback, anti-forgery for cookie-authenticated writes, rate limits,
/// and security headers.
/// </summary>
public static class AuthSetup
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string BearerScheme = "Bearer";
    public const string SmartScheme = "CookieOrBearer";
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>Set (to 1) by the dashboard on requests nobody asked for (polling): they never extend the session.</summary>
    public const string BackgroundHeader = "X-SituationMap-Background";
    public const string SignInLimit = "sign-in";
    public const string WriteLimit = "writes";
    public const string IngestLimit = "ingest";
    public const string HeavyLimit = "heavy";

    public static IServiceCollection AddSituationMapAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuthOptions>(configuration.GetSection("Auth"));
        services.AddScoped<AccountService>();
        services.AddMemoryCache();
        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || (ctx.Request.Path.StartsWithSegments("/hubs") && ctx.Request.Query.ContainsKey("access_token"))
                    ? BearerScheme
                    : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "situationmap.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = ctx => WriteProblemAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = ctx => WriteProblemAsync(ctx.HttpContext, StatusCodes.Status403Forbidden),
                    OnValidatePrincipal = ValidateSessionAsync,
                    // a page left open polls; that is no sign of a person at it, so it must not keep the session alive
                    OnCheckSlidingExpiration = ctx =>
                    {
                        if (ctx.HttpContext.Request.Headers[BackgroundHeader] == "1") ctx.ShouldRenew = false;
                        return Task.CompletedTask;
                    },
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerScheme, null)
            .AddOidcIfConfigured(configuration);
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<AuthOptions>>((o, auth) => o.ExpireTimeSpan = auth.Value.IdleTimeout);

        services.AddAuthorization(o =>
        {
            foreach (var permission in Permissions.All.Where(p => p != Permissions.SignedIn))
                o.AddPolicy(permission, p => p.RequireAuthenticatedUser().RequireClaim(AccountService.PermissionClaim, permission));
            o.AddPolicy(Permissions.SignedIn, p => p.RequireAuthenticatedUser());
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "situationmap.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure behind the TLS proxy (X-Forwarded-Proto)
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                ctx.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
                    $"Slow down: try again in {Math.Ceiling(retry.TotalSeconds)} s.").ExecuteAsync(ctx.HttpContext);
            };
            // all accounts together: at most MaxConcurrentWrites state-changing requests are worked on at once and
            // WriteQueue wait (their bodies not yet read); beyond that 429 + Retry-After, so a burst from many
            // senders cannot grow the node's memory without bound
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method) || HttpMethods.IsOptions(ctx.Request.Method)
                ? RateLimitPartition.GetNoLimiter("reads")
                : RateLimitPartition.GetConcurrencyLimiter("writes", _ =>
                {
                    var cluster = ctx.RequestServices.GetRequiredService<IOptions<Cluster.ClusterOptions>>().Value;
                    return new ConcurrencyLimiterOptions { PermitLimit = cluster.MaxConcurrentWrites, QueueLimit = cluster.WriteQueue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst };
                }));
            o.AddPolicy(SignInLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = ctx.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.SignInsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.AddPolicy(WriteLimit, ctx => RateLimitPartition.GetTokenBucketLimiter(
                ctx.User.Identity?.Name ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions { TokenLimit = 200, TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
            // CPU-heavy reads sent as POST (road routes, patrol loop suggestions): a few a second per account
            o.AddPolicy(HeavyLimit, ctx => RateLimitPartition.GetTokenBucketLimiter(
                ctx.User.Identity?.Name ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions { TokenLimit = 30, TokensPerPeriod = 5, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
            o.AddPolicy(IngestLimit, ctx => RateLimitPartition.GetTokenBucketLimiter(
                ctx.User.Identity?.Name ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions { TokenLimit = 500, TokensPerPeriod = 250, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
        });
        return services;
    }

    public static WebApplication UseSituationMapAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<CsrfAndOriginChecks>();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Ends a session when its account changed (password, roles, districts, disabled) or its shift is over.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext ctx)
    {
        var auth = ctx.HttpContext.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        var issued = long.TryParse(ctx.Principal?.FindFirstValue(AccountService.IssuedClaim), out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.MinValue;
        var id = long.TryParse(ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var v) ? v : 0;
        var stamp = ctx.Principal?.FindFirstValue(AccountService.StampClaim);
        var cache = ctx.HttpContext.RequestServices.GetRequiredService<IMemoryCache>();
        var current = await cache.GetOrCreateAsync($"account-stamp:{id}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(15);
            var db = ctx.HttpContext.RequestServices.GetRequiredService<SituationMapDb>();
            return await db.Accounts.AsNoTracking().Where(a => a.Id == id && !a.Disabled).Select(a => (Guid?)a.SecurityStamp).FirstOrDefaultAsync();
        });
        if (DateTimeOffset.UtcNow - issued > auth.MaxSession || current?.ToString() != stamp)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    public static void ForgetSession(IMemoryCache cache, long accountId) => cache.Remove($"account-stamp:{accountId}");

    private static Task WriteProblemAsync(HttpContext context, int status) =>
        (status == StatusCodes.Status401Unauthorized
            ? ApiProblems.Problem(status, "unauthorized", "Sign in first.", "This needs a signed-in account (session cookie or bearer token).")
            : ApiProblems.Problem(status, "forbidden", "Not allowed.", "Your roles do not allow this.")).ExecuteAsync(context);

    /// <summary>
    /// Writes with a session cookie must carry the anti-forgery token (header X-CSRF-TOKEN, from GET /api/auth/csrf);
    /// bearer-token requests need none (browsers never attach them by themselves). The live hub only accepts its
    /// own origin, so another site cannot open a WebSocket with the user's cookie.
    /// </summary>
    private sealed class CsrfAndOriginChecks(RequestDelegate next)
    {
        public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery)
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments("/hubs") && request.Headers.Origin.ToString() is { Length: > 0 } origin && !IsSameOrigin(origin, request))
            {
                await ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden-origin", "Cross-origin connection refused.",
                    "The live hub only accepts connections from this server's own pages.").ExecuteAsync(context);
                return;
            }
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
                && request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/api/auth/sign-in")
                && context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieScheme })
            {
                try
                {
                    await antiforgery.ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    await ApiProblems.Problem(StatusCodes.Status400BadRequest, "csrf", "Missing or invalid anti-forgery token.",
                        $"Send the token from GET /api/auth/csrf in the {CsrfHeader} header with every change.").ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        }

        private static bool IsSameOrigin(string origin, HttpRequest request) =>
            Uri.TryCreate(origin, UriKind.Absolute, out var o) && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Authenticates "Authorization: Bearer smt_…" (or ?access_token= on the hub, where browsers cannot set headers).</summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim()
            : Request.Path.StartsWithSegments("/hubs") ? Request.Query["access_token"].ToString() : "";
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        var found = await Context.RequestServices.GetRequiredService<AccountService>().FindTokenAsync(token, Context.RequestAborted);
        if (found is not { } hit) return AuthenticateResult.Fail("unknown, revoked or expired token");
        var identity = AccountService.IdentityOf(hit.Account, Scheme.Name, DateTimeOffset.UtcNow);
        identity.AddClaim(new Claim(AccountService.TokenClaim, hit.Token.Id.ToString(CultureInfo.InvariantCulture)));
        // a live connection opened with the token closes when the token expires
        var properties = new AuthenticationProperties { ExpiresUtc = hit.Token.ExpiresAt };
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first.",
            "The bearer token is missing, unknown, revoked or expired.").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed.", "Your roles do not allow this.").ExecuteAsync(Context);
}
