using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Live;

/// <summary>
/// Who is connected to the live hub, and whether they still may be. A connection is authorised once, when it opens;
/// this keeps checking it: every <see cref="AuthOptions.LiveRecheck"/> each open connection's account and token are
/// read again and the connection is closed when the account was disabled, signed out or changed (roles, districts,
/// password: its security stamp differs), its token was revoked or expired, or its session is older than
/// <see cref="AuthOptions.MaxSession"/>. Changes made on this node close the account's connections at once
/// (<see cref="EndAccount"/>, <see cref="EndToken"/>), so a connection never receives an event from a district its
/// account just lost; on other nodes of a cluster within one recheck period. The idle timeout of a cookie session
/// closes its connection through SignalR's CloseOnAuthenticationExpiration.
/// </summary>
public sealed class LiveSessions(IServiceScopeFactory scopes, IOptions<AuthOptions> options, TimeProvider clock, ILogger<LiveSessions> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    /// <summary>Called when a connection opens (LiveHub.OnConnectedAsync).</summary>
    public void Add(HubCallerContext context)
    {
        var user = context.User;
        var account = long.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var a) ? a : 0;
        long? token = long.TryParse(user?.FindFirstValue(AccountService.TokenClaim), CultureInfo.InvariantCulture, out var t) ? t : null;
        var issued = long.TryParse(user?.FindFirstValue(AccountService.IssuedClaim), CultureInfo.InvariantCulture, out var i)
            ? DateTimeOffset.FromUnixTimeSeconds(i) : DateTimeOffset.MinValue;
        var session = new Session(context, account, user?.FindFirstValue(AccountService.StampClaim) ?? "", token, issued);
        _sessions[context.ConnectionId] = session;
        if (account == 0) End(session, "no account"); // cannot happen with the hub's policy; never keep such a connection
    }

    public void Remove(string connectionId) => _sessions.TryRemove(connectionId, out _);

    /// <summary>Closes every connection of the account on this node (signed out, changed, disabled).</summary>
    public void EndAccount(long accountId)
    {
        foreach (var s in _sessions.Values.Where(s => s.AccountId == accountId)) End(s, "account changed or signed out");
    }

    /// <summary>Closes every connection opened with the token on this node (revoked).</summary>
    public void EndToken(long tokenId)
    {
        foreach (var s in _sessions.Values.Where(s => s.TokenId == tokenId)) End(s, "token revoked");
    }

    /// <summary>Checks every open connection against the database once; returns how many were closed.</summary>
    public async Task<int> RecheckAsync(CancellationToken ct)
    {
        var open = _sessions.Values.ToList();
        if (open.Count == 0) return 0;
        var now = clock.GetUtcNow();
        var accountIds = open.Select(s => s.AccountId).Distinct().ToList();
        var tokenIds = open.Where(s => s.TokenId is not null).Select(s => s.TokenId!.Value).Distinct().ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SituationMapDb>();
        var stamps = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id) && !a.Disabled)
            .Select(a => new { a.Id, a.SecurityStamp }).ToDictionaryAsync(a => a.Id, a => a.SecurityStamp.ToString(), ct);
        var tokens = tokenIds.Count == 0 ? [] : await db.ApiTokens.AsNoTracking()
            .Where(t => tokenIds.Contains(t.Id) && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Select(t => t.Id).ToListAsync(ct);
        var closed = 0;
        foreach (var s in open)
        {
            var why = !stamps.TryGetValue(s.AccountId, out var stamp) ? "account disabled or deleted"
                : stamp != s.Stamp ? "account changed or signed out"
                : s.TokenId is { } token && !tokens.Contains(token) ? "token revoked or expired"
                : s.TokenId is null && now - s.Issued > options.Value.MaxSession ? "session older than the maximum"
                : null;
            if (why is null) continue;
            End(s, why);
            closed++;
        }
        return closed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LiveRecheck, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RecheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the database away: connections stay as they are until the next check succeeds
                logger.LogWarning("Rechecking live connections failed: {Error}", e.Message);
            }
        }
    }

    private void End(Session s, string why)
    {
        if (!_sessions.TryRemove(s.Context.ConnectionId, out _)) return;
        logger.LogInformation("Closing live connection {Connection} of account {Account}: {Why}.", s.Context.ConnectionId, s.AccountId, why);
        s.Context.Abort();
    }

    private sealed record Session(HubCallerContext Context, long AccountId, string Stamp, long? TokenId, DateTimeOffset Issued);
}
