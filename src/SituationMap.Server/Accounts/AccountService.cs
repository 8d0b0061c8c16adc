using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Accounts;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    /// <summary>A browser session ends after this long without a request (CJIS: 30 minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A browser session ends after this long whatever happens (one shift).</summary>
    public TimeSpan MaxSession { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Consecutive failed sign-ins before the account locks (CJIS: 5).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    public int MinPasswordLength { get; set; } = 12;

    /// <summary>Sign-in attempts accepted per client address and minute (then 429).</summary>
    public int SignInsPerMinute { get; set; } = 10;

    /// <summary>How often open live connections are checked against their account and token (changed roles or
    /// districts, disabled, signed out, token revoked or expired, shift over): failing ones are closed.</summary>
    public TimeSpan LiveRecheck { get; set; } = TimeSpan.FromSeconds(5);
}

public enum SignInResult
{
    Success,
    WrongCredentials,
    LockedOut,
    Disabled,
}

/// <summary>Accounts, passwords, lockout and bearer tokens. Every sign-in attempt and account change is audited.</summary>
public sealed class AccountService(SituationMapDb db, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string TokenPrefix = "smt_";
    public const string DistrictsClaim = "districts";
    public const string PermissionClaim = "permission";
    public const string StampClaim = "stamp";
    public const string IssuedClaim = "issued";
    public const string TokenClaim = "token";

    private static readonly PasswordHasher<Account> Hasher = new();

    public static string Normalise(string username) => username.Trim().ToLowerInvariant();

    /// <summary>Why a password is not acceptable, or null.</summary>
    public string? PasswordProblem(string username, string password)
    {
        if (password.Length < options.Value.MinPasswordLength) return $"must be at least {options.Value.MinPasswordLength} characters long.";
        if (password.Length > 256) return "must be at most 256 characters long.";
        if (password.Contains(username, StringComparison.OrdinalIgnoreCase)) return "must not contain the username.";
        if (password.Distinct().Count() < 5) return "is too simple (too few different characters).";
        return null;
    }

    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');

    public async Task<Account> CreateAsync(string username, string displayName, string password, IEnumerable<string> roles, IEnumerable<string> districts, CancellationToken ct)
    {
        var account = new Account
        {
            Username = Normalise(username),
            DisplayName = displayName,
            Roles = roles.Distinct(StringComparer.Ordinal).ToList(),
            Districts = districts.Distinct(StringComparer.Ordinal).ToList(),
        };
        account.PasswordHash = Hasher.HashPassword(account, password);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        await AuditContext.RecordAsync(db, "account_created", "accounts", account.Id,
            new { account.Username, account.Roles, account.Districts }, ct);
        await tx.CommitAsync(ct);
        return account;
    }

    /// <summary>Checks a password with lockout: after MaxFailedSignIns failures in a row the account locks for Lockout.</summary>
    public async Task<(SignInResult Result, Account? Account)> SignInAsync(string username, string password, CancellationToken ct)
    {
        var name = Normalise(username);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Username == name, ct);
        // the password is checked whatever the account's state (unknown, disabled, locked), so the time an answer takes
        // tells nothing about whether the account exists or why the sign-in failed
        var matches = Hasher.VerifyHashedPassword(account ?? new Account(), account?.PasswordHash ?? DummyHash, password) != PasswordVerificationResult.Failed;
        SignInResult result;
        if (account is null) result = SignInResult.WrongCredentials;
        else if (account.Disabled) result = SignInResult.Disabled;
        else if (account.LockedUntil > now) result = SignInResult.LockedOut;
        else if (!matches)
        {
            account.FailedLogins++;
            result = SignInResult.WrongCredentials;
            if (account.FailedLogins >= options.Value.MaxFailedSignIns)
            {
                account.LockedUntil = now + options.Value.Lockout;
                account.FailedLogins = 0;
                result = SignInResult.LockedOut;
            }
        }
        else
        {
            account.FailedLogins = 0;
            account.LockedUntil = null;
            account.LastLoginAt = now;
            result = SignInResult.Success;
        }
        await db.SaveChangesAsync(ct);
        await AuditContext.RecordAsync(db, result switch
        {
            SignInResult.Success => "sign_in",
            SignInResult.LockedOut => "locked_out",
            _ => "sign_in_failed",
        }, "accounts", account?.Id, new { username = name, result = result.ToString() }, ct);
        await tx.CommitAsync(ct);
        return (result, result == SignInResult.Success ? account : null);
    }

    /// <summary>A new bearer token; the plain token is returned once and never stored.</summary>
    public async Task<(ApiToken Token, string Plain)> CreateTokenAsync(long accountId, string name, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var plain = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken { AccountId = accountId, Name = name, TokenHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(plain)), Prefix = plain[..10], ExpiresAt = expiresAt };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        await AuditContext.RecordAsync(db, "token_created", "api_tokens", token.Id, new { account_id = accountId, name, expires_at = expiresAt }, ct);
        await tx.CommitAsync(ct);
        return (token, plain);
    }

    /// <summary>The account behind a bearer token, if the token is known, not revoked, not expired and the account active.</summary>
    /// <summary>The token and its account, if the token is known, not revoked, not expired and the account active.</summary>
    public async Task<(ApiToken Token, Account Account)?> FindTokenAsync(string plain, CancellationToken ct)
    {
        if (!plain.StartsWith(TokenPrefix, StringComparison.Ordinal) || plain.Length > 100) return null;
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(plain));
        var now = clock.GetUtcNow();
        var hit = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Join(db.Accounts.AsNoTracking().Where(a => !a.Disabled), t => t.AccountId, a => a.Id, (t, a) => new { Token = t, Account = a })
            .FirstOrDefaultAsync(ct);
        if (hit is null) return null;
        if (hit.Token.LastUsedAt is null || now - hit.Token.LastUsedAt > TimeSpan.FromMinutes(1))
            await db.ApiTokens.Where(t => t.Id == hit.Token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        return (hit.Token, hit.Account);
    }

    /// <summary>The claims every scheme issues for an account: id, name, roles, the permissions they grant, districts.</summary>
    public static ClaimsIdentity IdentityOf(Account account, string scheme, DateTimeOffset issued)
    {
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(ClaimTypes.Name, account.Username));
        identity.AddClaim(new Claim(StampClaim, account.SecurityStamp.ToString()));
        identity.AddClaim(new Claim(IssuedClaim, issued.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var role in account.Roles) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        foreach (var permission in Roles.PermissionsOf(account.Roles)) identity.AddClaim(new Claim(PermissionClaim, permission));
        if (account.Districts.Count > 0) identity.AddClaim(new Claim(DistrictsClaim, string.Join(',', account.Districts)));
        return identity;
    }

    private static readonly string DummyHash = Hasher.HashPassword(new Account(), "not a real password, only for timing");
}
