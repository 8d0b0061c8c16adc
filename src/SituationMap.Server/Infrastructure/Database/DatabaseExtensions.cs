using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SituationMap.Server.Infrastructure.Database;

public static class DatabaseExtensions
{
    /// <summary>The connection string: configuration "ConnectionStrings:SituationMap" or the SITUATIONMAP_DB variable.</summary>
    public static string GetSituationMapConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("SituationMap")
        ?? configuration["SITUATIONMAP_DB"]
        ?? throw new InvalidOperationException(MissingConfiguration(configuration));

    /// <summary>The application role's connection string for the running server (serve): configuration
    /// "ConnectionStrings:SituationMapApplication" or the SITUATIONMAP_APP_DB variable; null when none is given (the
    /// server then runs as the owner, see <see cref="ApplicationRoleCheck"/>).</summary>
    public static string? GetApplicationConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("SituationMapApplication") is { Length: > 0 } fromSection ? fromSection
        : configuration["SITUATIONMAP_APP_DB"] is { Length: > 0 } fromVariable ? fromVariable
        : null;

    /// <summary>What to do when no database is configured, or null when one is.</summary>
    public static string? MissingConfiguration(IConfiguration configuration) =>
        configuration.GetConnectionString("SituationMap") is null && configuration["SITUATIONMAP_DB"] is null
            ? "No database configured: set SITUATIONMAP_DB to a PostGIS connection string, e.g. " +
              "\"Host=127.0.0.1;Port=5432;Username=…;Password=…;Database=situationmap\" (scripts/run.sh does this for its local cluster)."
            : null;

    /// <summary>One NpgsqlDataSource (with NetTopologySuite) for EF Core and for the hand-written SQL (tiles, live feed).
    /// The running server (<paramref name="serving"/>) connects as the application role when one is configured, so it
    /// can neither alter the audit trail nor the schema; the commands (migrate, seed, import, accounts) as the owner.</summary>
    public static IServiceCollection AddSituationMapDatabase(this IServiceCollection services, IConfiguration configuration, bool serving = true)
    {
        var application = serving ? configuration.GetApplicationConnectionString() : null;
        var builder = new NpgsqlDataSourceBuilder(application ?? configuration.GetSituationMapConnectionString());
        builder.UseNetTopologySuite();
        builder.EnableDynamicJson();
        var dataSource = builder.Build();
        services.AddSingleton(dataSource);
        services.AddHttpContextAccessor();
        services.AddSingleton<Audit.AuditTransactionInterceptor>();
        services.AddDbContextPool<SituationMapDb>((sp, options) =>
            options.UseSituationMap(dataSource).AddInterceptors(sp.GetRequiredService<Audit.AuditTransactionInterceptor>()));
        if (serving)
        {
            services.AddSingleton(sp => new ApplicationRoleCheck(dataSource, application is not null, sp.GetRequiredService<ILogger<ApplicationRoleCheck>>()));
            services.AddHostedService(sp => sp.GetRequiredService<ApplicationRoleCheck>());
        }
        return services;
    }

    public static DbContextOptionsBuilder UseSituationMap(this DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, o => o.UseNetTopologySuite().MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
}

/// <summary>Binary COPY helpers.</summary>
public static class BinaryImportExtensions
{
    /// <summary>Writes the value, or NULL.</summary>
    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlTypes.NpgsqlDbType type, CancellationToken ct) =>
        value is null ? importer.WriteNullAsync(ct) : importer.WriteAsync(value, type, ct);
}
