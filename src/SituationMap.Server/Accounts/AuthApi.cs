using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Accounts;

/// <summary>Sign-in and sign-out for the browser (session cookie), the current account, the anti-forgery token.</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/sign-in", SignIn).WithName("SignIn").AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .Accepts<SignInRequest>("application/json").Produces<SessionInfo>().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/providers", OidcSignIn.Providers).WithName("GetSignInProviders").AllowAnonymous();
        group.MapGet("/oidc/sign-in", OidcSignIn.Challenge).WithName("SignInWithOidc").AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .Produces(StatusCodes.Status302Found).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/sign-out", SignOut).WithName("SignOut").RequireAuthorization(Permissions.SignedIn).RequireRateLimiting(AuthSetup.WriteLimit).Produces(StatusCodes.Status204NoContent);
        group.MapGet("/me", Me).WithName("GetSession").RequireAuthorization(Permissions.SignedIn).Produces<SessionInfo>();
        group.MapGet("/csrf", Csrf).WithName("GetCsrfToken").RequireAuthorization(Permissions.SignedIn).Produces<SessionInfo>();
        return group;
    }

    public const string SignInFailed = "Wrong username or password, or the account is suspended for a while after too many failed attempts, or disabled.";

    public static async Task<IResult> SignIn(HttpContext context, AccountService accounts, IAntiforgery antiforgery, CancellationToken ct)
    {
        var (json, problem) = await FeatureReader.ReadJsonAsync(context.Request, ct);
        if (problem is not null) return problem;
        var problems = new ProblemCollector();
        SignInRequest? request;
        using (json) request = FeatureReader.BindObject<SignInRequest>(json!.RootElement, "", problems);
        if (request is { Username: null or "" } or { Password: null or "" }) problems.Add("", "send {\"username\": …, \"password\": …}.");
        if (problems.Any || request is null) return problems.ToResult();
        var (result, account) = await accounts.SignInAsync(request.Username!, request.Password!, ct);
        // one answer for every failure (unknown account, wrong password, locked, disabled): it must not tell whether an
        // account exists; the audit trail records which it was
        if (result != SignInResult.Success) return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "sign-in-failed", "Sign-in failed.", SignInFailed);
        var principal = new ClaimsPrincipal(AccountService.IdentityOf(account!, AuthSetup.CookieScheme, DateTimeOffset.UtcNow));
        await context.SignInAsync(AuthSetup.CookieScheme, principal);
        context.User = principal;
        return TypedResults.Json(Session(account!, antiforgery.GetAndStoreTokens(context).RequestToken), ApiJson.Options);
    }

    /// <summary>
    /// Ends the session on the server, not only in this browser: the account's security stamp changes, so a copy of
    /// the cookie (and every other session of the account, and its open live connections) stops working at once.
    /// </summary>
    public static async Task<IResult> SignOut(HttpContext context, SituationMapDb db, IMemoryCache cache, Live.LiveSessions live, CancellationToken ct)
    {
        var id = long.Parse(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.SecurityStamp, Guid.NewGuid()), ct);
            await AuditContext.RecordAsync(db, "sign_out", "accounts", id, null, ct);
            await tx.CommitAsync(ct);
        }
        AuthSetup.ForgetSession(cache, id);
        live.EndAccount(id);
        await context.SignOutAsync(AuthSetup.CookieScheme);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> Me(HttpContext context, SituationMapDb db, IAntiforgery antiforgery, CancellationToken ct)
    {
        var id = long.Parse(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture);
        var account = await db.Accounts.AsNoTracking().FirstAsync(a => a.Id == id, ct);
        var csrf = context.User.Identity?.AuthenticationType == AuthSetup.CookieScheme ? antiforgery.GetAndStoreTokens(context).RequestToken : null;
        return TypedResults.Json(Session(account, csrf), ApiJson.Options);
    }

    public static IResult Csrf(HttpContext context, IAntiforgery antiforgery) =>
        TypedResults.Json(new { csrf_token = antiforgery.GetAndStoreTokens(context).RequestToken }, ApiJson.Options);

    private static SessionInfo Session(Account a, string? csrf) =>
        new(a.Id, a.Username, a.DisplayName, a.Roles, Roles.PermissionsOf(a.Roles).ToList(), a.Districts, csrf);
}
