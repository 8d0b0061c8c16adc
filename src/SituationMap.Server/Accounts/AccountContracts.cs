namespace SituationMap.Server.Accounts;

public sealed record SignInRequest(string? Username, string? Password);

/// <summary>Who is signed in and what they may do; csrf_token goes into X-CSRF-TOKEN on every change.</summary>
public sealed record SessionInfo(long Id, string Username, string DisplayName, IReadOnlyList<string> Roles,
    IReadOnlyList<string> Permissions, IReadOnlyList<string> Districts, string? CsrfToken);

public sealed record AccountView(long Id, string Username, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Districts,
    bool Disabled, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt)
{
    public static AccountView Of(Account a) => new(a.Id, a.Username, a.DisplayName, a.Roles, a.Districts, a.Disabled, a.LockedUntil, a.CreatedAt, a.LastLoginAt);
}

public sealed record AccountWrite(string? Username, string? DisplayName, List<string>? Roles, List<string>? Districts, bool? Disabled, string? Password);

/// <summary>The account, and its password when the server generated one (shown once).</summary>
public sealed record AccountCreated(AccountView Account, string? Password);

public sealed record TokenWrite(string? Name, DateTimeOffset? ExpiresAt);

public sealed record TokenView(long Id, long AccountId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public static TokenView Of(ApiToken t) => new(t.Id, t.AccountId, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}

/// <summary>The plain token, shown once: "Authorization: Bearer smt_…".</summary>
public sealed record TokenCreated(TokenView Token, string Plain);
