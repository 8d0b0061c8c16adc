namespace SituationMap.Server.Accounts;

/// <summary>
/// A person's (or an integration's) account. Passwords are stored as ASP.NET Core Identity hashes (PBKDF2 with
/// HMAC-SHA512, 100,000 iterations, per-password salt). <see cref="Districts"/> empty = every district.
/// </summary>
public sealed class Account
{
    public long Id { get; set; }

    /// <summary>Lower-case login name, unique.</summary>
    public string Username { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    public List<string> Districts { get; set; } = [];

    public bool Disabled { get; set; }

    public int FailedLogins { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Changes whenever sign-ins must end (password reset, roles or districts changed, disabled).</summary>
    public Guid SecurityStamp { get; set; } = Guid.NewGuid();

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }
}

/// <summary>A revocable bearer token for API clients and integrations (AVL feeds). Only its SHA-256 is stored.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    public string Name { get; set; } = "";

    public byte[] TokenHash { get; set; } = [];

    /// <summary>The first characters of the token, to recognise it in lists.</summary>
    public string Prefix { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
