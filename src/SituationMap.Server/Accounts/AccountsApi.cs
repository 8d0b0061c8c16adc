using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Accounts;

/// <summary>Account and token administration (permission admin). Every change is audited and ends the account's sessions.</summary>
public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(Permissions.Admin).RequireRateLimiting(AuthSetup.WriteLimit);
        group.MapGet("/accounts", List).WithName("ListAccounts").Produces<List<AccountView>>();
        group.MapPost("/accounts", Create).WithName("CreateAccount").Accepts<AccountWrite>("application/json")
            .Produces<AccountCreated>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/accounts/{id:long}", Update).WithName("UpdateAccount").Accepts<AccountWrite>("application/json")
            .Produces<AccountCreated>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/accounts/{id:long}/tokens", Tokens).WithName("ListTokens").Produces<List<TokenView>>();
        group.MapPost("/accounts/{id:long}/tokens", CreateToken).WithName("CreateToken").Accepts<TokenWrite>("application/json")
            .Produces<TokenCreated>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapDelete("/tokens/{id:long}", RevokeToken).WithName("RevokeToken").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<IResult> List(SituationMapDb db, CancellationToken ct) =>
        TypedResults.Json((await db.Accounts.AsNoTracking().OrderBy(a => a.Username).ToListAsync(ct)).ConvertAll(AccountView.Of), ApiJson.Options);

    public static async Task<IResult> Create(HttpRequest request, SituationMapDb db, AccountService accounts, CancellationToken ct)
    {
        var (write, problem) = await ReadAsync<AccountWrite>(request, ct);
        if (problem is not null) return problem;
        var problems = new ProblemCollector();
        if (string.IsNullOrWhiteSpace(write!.Username)) problems.Add("/username", "is required.");
        else if (!System.Text.RegularExpressions.Regex.IsMatch(AccountService.Normalise(write.Username), "^[a-z0-9][a-z0-9._-]{1,63}$"))
            problems.Add("/username", "must be 2 to 64 lower-case letters, digits, '.', '_' or '-'.");
        await CheckAsync(write, db, problems, ct);
        var password = write.Password ?? AccountService.GeneratePassword();
        if (write.Username is not null && accounts.PasswordProblem(write.Username, password) is { } weak) problems.Add("/password", weak);
        if (problems.Any) return problems.ToResult();
        if (await db.Accounts.AnyAsync(a => a.Username == AccountService.Normalise(write.Username!), ct))
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "duplicate", "Already exists.", $"There is already an account '{AccountService.Normalise(write.Username!)}'.");
        var account = await accounts.CreateAsync(write.Username!, write.DisplayName ?? write.Username!, password, write.Roles ?? [], write.Districts ?? [], ct);
        return TypedResults.Json(new AccountCreated(AccountView.Of(account), write.Password is null ? password : null), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Changes display name, roles, districts, disabled, and (when given) the password; any change ends the account's sessions.</summary>
    public static async Task<IResult> Update(long id, HttpRequest request, SituationMapDb db, AccountService accounts, IMemoryCache cache, Live.LiveSessions live, CancellationToken ct)
    {
        var (write, problem) = await ReadAsync<AccountWrite>(request, ct);
        if (problem is not null) return problem;
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null) return ApiProblems.NotFound("accounts", id);
        var problems = new ProblemCollector();
        if (write!.Username is not null && AccountService.Normalise(write.Username) != account.Username) problems.Add("/username", "cannot be changed.");
        await CheckAsync(write, db, problems, ct);
        if (write.Password is not null && accounts.PasswordProblem(account.Username, write.Password) is { } weak) problems.Add("/password", weak);
        if (problems.Any) return problems.ToResult();
        var before = AccountView.Of(account);
        account.DisplayName = write.DisplayName ?? account.DisplayName;
        account.Roles = write.Roles ?? account.Roles;
        account.Districts = write.Districts ?? account.Districts;
        account.Disabled = write.Disabled ?? account.Disabled;
        if (write.Password is not null)
        {
            account.PasswordHash = new Microsoft.AspNetCore.Identity.PasswordHasher<Account>().HashPassword(account, write.Password);
            account.LockedUntil = null;
            account.FailedLogins = 0;
        }
        account.SecurityStamp = Guid.NewGuid();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await AuditContext.RecordAsync(db, "account_updated", "accounts", id, new { before, after = AccountView.Of(account), password_changed = write.Password is not null }, ct);
        await tx.CommitAsync(ct);
        AuthSetup.ForgetSession(cache, id);
        live.EndAccount(id); // its open live connections close now: none receives an event it may no longer see
        return TypedResults.Json(new AccountCreated(AccountView.Of(account), null), ApiJson.Options);
    }

    public static async Task<IResult> Tokens(long id, SituationMapDb db, CancellationToken ct) =>
        TypedResults.Json((await db.ApiTokens.AsNoTracking().Where(t => t.AccountId == id).OrderBy(t => t.Id).ToListAsync(ct)).ConvertAll(TokenView.Of), ApiJson.Options);

    public static async Task<IResult> CreateToken(long id, HttpRequest request, SituationMapDb db, AccountService accounts, CancellationToken ct)
    {
        var (write, problem) = await ReadAsync<TokenWrite>(request, ct);
        if (problem is not null) return problem;
        if (!await db.Accounts.AnyAsync(a => a.Id == id, ct)) return ApiProblems.NotFound("accounts", id);
        var problems = new ProblemCollector();
        if (string.IsNullOrWhiteSpace(write!.Name)) problems.Add("/name", "is required (what the token is for, e.g. \"AVL feed\").");
        if (write.Name?.Length > 200) problems.Add("/name", "at most 200 characters.");
        if (write.ExpiresAt <= DateTimeOffset.UtcNow) problems.Add("/expires_at", "lies in the past.");
        if (problems.Any) return problems.ToResult();
        var (token, plain) = await accounts.CreateTokenAsync(id, write.Name!, write.ExpiresAt, ct);
        return TypedResults.Json(new TokenCreated(TokenView.Of(token), plain), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> RevokeToken(long id, SituationMapDb db, Live.LiveSessions live, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var revoked = await db.ApiTokens.Where(t => t.Id == id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTimeOffset.UtcNow), ct);
        if (revoked == 0) return ApiProblems.NotFound("api_tokens", id);
        await AuditContext.RecordAsync(db, "token_revoked", "api_tokens", id, null, ct);
        await tx.CommitAsync(ct);
        live.EndToken(id);
        return TypedResults.NoContent();
    }

    private static async Task CheckAsync(AccountWrite write, SituationMapDb db, ProblemCollector problems, CancellationToken ct)
    {
        foreach (var (role, i) in (write.Roles ?? []).Select((r, i) => (r, i)))
            if (!Roles.IsRole(role)) problems.Add($"/roles/{i}", $"'{role}' is not one of: {string.Join(", ", Roles.All)}.");
        if (write.DisplayName?.Length > 200) problems.Add("/display_name", "at most 200 characters.");
        if (write.Districts is { Count: > 0 } districts)
        {
            var known = await db.Districts.Where(d => districts.Contains(d.Code)).Select(d => d.Code).ToListAsync(ct);
            foreach (var (d, i) in districts.Select((d, i) => (d, i)).Where(x => !known.Contains(x.d)))
                problems.Add($"/districts/{i}", $"there is no district '{d}'.");
        }
    }

    private static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        var (json, problem) = await FeatureReader.ReadJsonAsync(request, ct);
        if (problem is not null) return (null, problem);
        var problems = new ProblemCollector();
        using (json)
        {
            var value = FeatureReader.BindObject<T>(json!.RootElement, "", problems);
            return problems.Any || value is null ? (null, problems.ToResult()) : (value, null);
        }
    }
}
