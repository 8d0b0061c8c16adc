using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Accounts;

/// <summary>
/// Configuration section "Auth:Oidc": sign-in through an agency's OpenID Connect identity provider (authorization code
/// flow with PKCE). The provider only proves who someone is: the account — roles, districts, disabled — is still the
/// local one with the same username (claim <see cref="UsernameClaim"/>), so an unknown person gets nothing.
/// </summary>
public sealed class OidcOptions
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries the username (preferred_username, email, upn…).</summary>
    public string UsernameClaim { get; set; } = "preferred_username";

    /// <summary>What the sign-in page calls the provider.</summary>
    public string DisplayName { get; set; } = "Agency sign-in";

    /// <summary>Only for a provider on loopback in tests: allow http metadata.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrEmpty(Authority) && !string.IsNullOrEmpty(ClientId);
}

public static class OidcSignIn
{
    public const string Scheme = "oidc";

    public static AuthenticationBuilder AddOidcIfConfigured(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        var oidc = configuration.GetSection("Auth:Oidc").Get<OidcOptions>() ?? new OidcOptions();
        if (!oidc.Enabled) return auth;
        return auth.AddOpenIdConnect(Scheme, oidc.DisplayName, o =>
        {
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = oidc.ClientSecret;
            o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            o.ResponseType = "code";
            o.ResponseMode = "query";
            o.UsePkce = true;
            o.SignInScheme = AuthSetup.CookieScheme;
            o.CallbackPath = "/signin-oidc";
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.SaveTokens = false;
            o.MapInboundClaims = false;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Events.OnTokenValidated = ToLocalAccountAsync;
            o.Events.OnRemoteFailure = ctx =>
            {
                ctx.Response.Redirect("/?sign_in_failed=1");
                ctx.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>GET /api/auth/providers (anonymous): which sign-in methods the page should offer.</summary>
    public static IResult Providers(IConfiguration configuration)
    {
        var oidc = configuration.GetSection("Auth:Oidc").Get<OidcOptions>() ?? new OidcOptions();
        return TypedResults.Json(new { password = true, oidc = oidc.Enabled, oidc_name = oidc.Enabled ? oidc.DisplayName : null }, ApiJson.Options);
    }

    /// <summary>GET /api/auth/oidc/sign-in?return_url=/ (anonymous): off to the identity provider, back to a local page.</summary>
    public static IResult Challenge([Microsoft.AspNetCore.Mvc.FromQuery(Name = "return_url")] string? returnUrl, IConfiguration configuration)
    {
        if ((configuration.GetSection("Auth:Oidc").Get<OidcOptions>() ?? new OidcOptions()).Enabled is false)
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "not-configured", "Not configured.", "No OpenID Connect provider is configured (Auth:Oidc).");
        var local = returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = local }, [Scheme]);
    }

    private static async Task ToLocalAccountAsync(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext ctx)
    {
        var options = ctx.HttpContext.RequestServices.GetRequiredService<IConfiguration>().GetSection("Auth:Oidc").Get<OidcOptions>()!;
        var db = ctx.HttpContext.RequestServices.GetRequiredService<SituationMapDb>();
        var name = ctx.Principal?.FindFirstValue(options.UsernameClaim) is { } claimed ? AccountService.Normalise(claimed) : null;
        var account = name is null ? null : await db.Accounts.FirstOrDefaultAsync(a => a.Username == name && !a.Disabled);
        var now = DateTimeOffset.UtcNow;
        if (account is not null && account.LockedUntil > now) account = null;
        await using var tx = await db.Database.BeginTransactionAsync();
        await AuditContext.RecordAsync(db, account is null ? "sign_in_failed" : "sign_in", "accounts", account?.Id,
            new { username = name, method = "oidc", issuer = ctx.Principal?.FindFirstValue("iss") });
        if (account is not null)
        {
            account.LastLoginAt = now;
            await db.SaveChangesAsync();
        }
        await tx.CommitAsync();
        if (account is null)
        {
            ctx.Fail($"No active SituationMap account for '{name}'.");
            return;
        }
        ctx.Principal = new ClaimsPrincipal(AccountService.IdentityOf(account, AuthSetup.CookieScheme, now));
    }
}
