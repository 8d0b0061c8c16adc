using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Security;

public sealed class AccountCommandTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task DemoAccountsAreCreatedOnceWithGeneratedPasswordsThatSignIn()
    {
        var file = Path.Combine(Path.GetTempPath(), "demo-accounts-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            var command = ServerCommand.Parse(["accounts", "demo", "--out", file]);
            Assert.Equal(0, await command.RunAsync(server.Services));
            var lines = File.ReadAllLines(file).Where(l => !l.StartsWith('#')).ToList();
            Assert.Equal(AccountCommands.DemoAccounts.Select(a => a.Username), lines.Select(l => l.Split(' ')[0]));
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var (username, password) = (lines[3].Split(' ')[0], lines[3].Split(' ')[1]);
            var signIn = await server.CreateClient("").PostAsync("/api/auth/sign-in",
                Api.Raw(System.Text.Json.JsonSerializer.Serialize(new { username, password })));
            Assert.Equal(System.Net.HttpStatusCode.OK, signIn.StatusCode);

            // a second run keeps the same accounts and passwords
            Assert.Equal(0, await command.RunAsync(server.Services));
            Assert.Equal(lines, File.ReadAllLines(file).Where(l => !l.StartsWith('#')));
            Assert.Equal(AccountCommands.DemoAccounts.Length, await server.Database.ScalarAsync("SELECT count(*) FROM accounts WHERE username LIKE 'demo-%'"));
            Assert.Equal(0, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'password_reset'"));

            // without the file the passwords are reset: each reset is in the audit trail, and the old password is dead
            File.Delete(file);
            Assert.Equal(0, await command.RunAsync(server.Services));
            Assert.Equal(AccountCommands.DemoAccounts.Length, await server.Database.ScalarAsync(
                "SELECT count(*) FROM audit_log a JOIN accounts c ON c.id = a.feature_id WHERE a.action = 'password_reset' AND a.layer = 'accounts' AND a.actor = 'system:cli' AND c.username LIKE 'demo-%'"));
            var stale = await server.CreateClient("").PostAsync("/api/auth/sign-in", Api.Raw(System.Text.Json.JsonSerializer.Serialize(new { username, password })));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, stale.StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheFirstAdminIsCreatedFromTheCommandLineAndBadRolesAreRefused()
    {
        Assert.Equal(0, await ServerCommand.Parse(["accounts", "create", "--username", "First.Admin", "--roles", "admin"]).RunAsync(server.Services));
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM accounts WHERE username = 'first.admin' AND roles = ARRAY['admin']"));
        await Assert.ThrowsAsync<ArgumentException>(() => ServerCommand.Parse(["accounts", "create", "--username", "x1", "--roles", "king"]).RunAsync(server.Services));
        Assert.Throws<ArgumentException>(() => ServerCommand.Parse(["accounts"]));
    }
}
