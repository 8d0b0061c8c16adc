using Microsoft.Extensions.Options;
using Npgsql;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Privacy;

/// <summary>Configuration section "Privacy".</summary>
public sealed class PrivacyOptions
{
    /// <summary>Closed and cancelled incidents lose their free text (description and address) this many days after they occurred;
    /// geometry, category, times and status stay for statistics. 0 switches the purge off.</summary>
    public int IncidentTextRetentionDays { get; set; } = 365;
}

/// <summary>Purges incident free text past the retention period, once an hour, audited as 'retention_purge'.</summary>
public sealed class RetentionPurge(NpgsqlDataSource dataSource, IOptions<PrivacyOptions> options, Cluster.ClusterLeadership leadership, ILogger<RetentionPurge> logger) : BackgroundService
{
    private static readonly string Sql = SqlResource.Read("Privacy/purge_incident_text.sql");

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var days = options.Value.IncidentTextRetentionDays;
        if (days <= 0) return 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        using (AuditActor.Job("retention"))
            await AuditContext.ApplyAsync(connection, tx, AuditActor.Current(null), ct: ct);
        await using var cmd = new NpgsqlCommand(Sql, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days });
        var purged = (int)(await cmd.ExecuteScalarAsync(ct))!;
        if (purged > 0) await AuditContext.RecordAsync(connection, tx, "retention_purge", "incidents", null, new { purged, retention_days = days }, ct);
        await tx.CommitAsync(ct);
        return purged;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                if (!await leadership.IsLeaderAfterStartAsync(stoppingToken)) continue; // once per cluster
                var purged = await PurgeAsync(stoppingToken);
                if (purged > 0) logger.LogInformation("Purged the free text of {Count} incidents past the retention period.", purged);
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning(e, "The retention purge failed; it runs again in an hour.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class PrivacySetup
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PrivacyOptions>(configuration.GetSection("Privacy"));
        services.AddSingleton<RetentionPurge>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPurge>());
        return services;
    }
}
