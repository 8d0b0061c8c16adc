using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Accounts;

/// <summary>
/// The command line for accounts:
/// <c>accounts create --username NAME --roles admin[,commander…] [--districts A,B] [--display-name TEXT] [--password-stdin]</c>
/// creates an account (printing a generated password unless one is read from standard input), and
/// <c>accounts token --username NAME --name PURPOSE [--days N]</c> prints a new bearer token, and
/// <c>accounts demo --out FILE</c> creates one clearly marked demo account per role plus a district-scoped one,
/// writing their generated passwords to FILE (mode 600) and printing them.
/// </summary>
public static class AccountCommands
{
    public static readonly (string Username, string[] Roles, bool Scoped)[] DemoAccounts =
    [
        ("demo-viewer", [Roles.Viewer], false),
        ("demo-dispatcher", [Roles.Dispatcher], false),
        ("demo-planner", [Roles.Planner], false),
        ("demo-commander", [Roles.Commander], false),
        ("demo-admin", [Roles.Admin], false),
        ("demo-district", [Roles.Dispatcher], true),
    ];

    public static async Task<int> RunAsync(IServiceProvider services, string action, IReadOnlyDictionary<string, string?> options)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var db = scope.ServiceProvider.GetRequiredService<SituationMapDb>();
        using var actor = AuditActor.Job("cli");
        switch (action)
        {
            case "create":
                return await CreateAsync(accounts, db, options);
            case "token":
                return await TokenAsync(accounts, db, options);
            case "demo":
                return await DemoAsync(accounts, db, options.GetValueOrDefault("out") ?? throw new ArgumentException("accounts demo needs --out FILE"));
            default:
                throw new ArgumentException($"Unknown accounts action '{action}': create or demo.");
        }
    }

    /// <summary>accounts token --username NAME --name PURPOSE [--days N]: prints a new bearer token for the account.</summary>
    private static async Task<int> TokenAsync(AccountService accounts, SituationMapDb db, IReadOnlyDictionary<string, string?> options)
    {
        var username = AccountService.Normalise(options.GetValueOrDefault("username") ?? throw new ArgumentException("--username is required"));
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Username == username);
        if (account is null)
        {
            Console.Error.WriteLine($"There is no account '{username}'.");
            return 1;
        }
        DateTimeOffset? expires = options.GetValueOrDefault("days") is { } d ? DateTimeOffset.UtcNow.AddDays(int.Parse(d, System.Globalization.CultureInfo.InvariantCulture)) : null;
        var (_, plain) = await accounts.CreateTokenAsync(account.Id, options.GetValueOrDefault("name") ?? "command line", expires, CancellationToken.None);
        Console.WriteLine(plain);
        return 0;
    }

    private static async Task<int> CreateAsync(AccountService accounts, SituationMapDb db, IReadOnlyDictionary<string, string?> options)
    {
        var username = options.GetValueOrDefault("username") ?? throw new ArgumentException("--username is required");
        var roles = (options.GetValueOrDefault("roles") ?? throw new ArgumentException($"--roles is required ({string.Join(", ", Roles.All)})")).Split(',', StringSplitOptions.TrimEntries);
        if (roles.FirstOrDefault(r => !Roles.IsRole(r)) is { } bad) throw new ArgumentException($"'{bad}' is not a role: {string.Join(", ", Roles.All)}");
        var districts = options.GetValueOrDefault("districts")?.Split(',', StringSplitOptions.TrimEntries) ?? [];
        var password = options.ContainsKey("password-stdin") ? (Console.In.ReadLine() ?? "").TrimEnd('\r', '\n') : AccountService.GeneratePassword();
        if (accounts.PasswordProblem(username, password) is { } weak) throw new ArgumentException("The password " + weak);
        if (await db.Accounts.AnyAsync(a => a.Username == AccountService.Normalise(username)))
        {
            Console.Error.WriteLine($"There is already an account '{AccountService.Normalise(username)}'.");
            return 1;
        }
        var account = await accounts.CreateAsync(username, options.GetValueOrDefault("display-name") ?? username, password, roles, districts, CancellationToken.None);
        Console.WriteLine($"Created account '{account.Username}' ({string.Join(", ", account.Roles)}).");
        if (!options.ContainsKey("password-stdin")) Console.WriteLine($"Password (shown once): {password}");
        return 0;
    }

    /// <summary>Creates the demo accounts that are missing; resets the passwords of all of them when the file is gone.</summary>
    private static async Task<int> DemoAsync(AccountService accounts, SituationMapDb db, string file)
    {
        var firstDistrict = await db.Districts.OrderBy(d => d.Code).Select(d => d.Code).FirstOrDefaultAsync();
        var lines = new List<string> { "# DEMO ACCOUNTS — for the synthetic demo city only; never use them with real data", "# username  password  roles  districts" };
        var existing = File.Exists(file) ? File.ReadAllLines(file) : [];
        foreach (var (username, roles, scoped) in DemoAccounts)
        {
            var districts = scoped && firstDistrict is not null ? new[] { firstDistrict } : [];
            var line = existing.FirstOrDefault(l => l.StartsWith(username + " ", StringComparison.Ordinal));
            var account = await db.Accounts.FirstOrDefaultAsync(a => a.Username == username);
            if (account is not null && line is not null)
            {
                lines.Add(line);
                continue;
            }
            var password = AccountService.GeneratePassword();
            if (account is null)
            {
                await accounts.CreateAsync(username, $"Demo {roles[0]}", password, roles, districts, CancellationToken.None);
            }
            else
            {
                account.PasswordHash = new Microsoft.AspNetCore.Identity.PasswordHasher<Account>().HashPassword(account, password);
                account.SecurityStamp = Guid.NewGuid();
                await using var tx = await db.Database.BeginTransactionAsync();
                await db.SaveChangesAsync();
                await AuditContext.RecordAsync(db, "password_reset", "accounts", account.Id,
                    new { account.Username, reason = "demo passwords reset (their file was missing)" }, CancellationToken.None);
                await tx.CommitAsync();
            }
            lines.Add($"{username} {password} {string.Join(',', roles)} {(districts.Length == 0 ? "all" : string.Join(',', districts))}");
        }
        await File.WriteAllLinesAsync(file, lines);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var l in lines) Console.WriteLine(l);
        return 0;
    }
}
