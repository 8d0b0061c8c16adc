using Microsoft.EntityFrameworkCore;
using Npgsql;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Testing;

/// <summary>
/// A fresh PostGIS database per test class, copied from a migrated template (CREATE DATABASE … TEMPLATE, ~0.2 s).
/// The cluster comes from SITUATIONMAP_TEST_DB (an admin connection string, set by scripts/test.sh) or, for a plain
/// `dotnet test` after scripts/test.sh or scripts/run.sh ran once, from the local cluster in .local/.
/// <see cref="ConnectionString"/> is the owner's (as for migrate and seed); <see cref="ApplicationConnectionString"/> is
/// the login <see cref="ApplicationLogin"/>, a member of the application role situationmap_app, as the server runs.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>One template per schema version (named after the newest migration), so checkouts at different
    /// migrations sharing one cluster never fight over a template.</summary>
    public static readonly string TemplateName = "smt_template_" + new string(
        typeof(SituationMapDb).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration)))
            .Select(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false)
                .Cast<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().Single().Id)
            .Max()!.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(50).ToArray());
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static bool _templateReady;

    /// <summary>The role the migrations grant the running server's privileges to (Infrastructure/Database/application_role.sql).</summary>
    public const string ApplicationRole = "situationmap_app";

    /// <summary>The tests' login in the application role (a member of it, so that the tests never change the password of
    /// the situationmap_app login that scripts/run.sh gives the local cluster's server).</summary>
    public const string ApplicationLogin = "smt_app";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        ApplicationConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Username = ApplicationLogin,
            Password = ApplicationPassword(),
        }.ConnectionString;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        DataSource = builder.Build();
    }

    public string Name { get; }

    /// <summary>The owner's connection (the cluster's admin).</summary>
    public string ConnectionString { get; }

    /// <summary>The application role's connection: what the test servers run as.</summary>
    public string ApplicationConnectionString { get; }

    /// <summary>A new, open connection as the application role (not pooled).</summary>
    public async Task<NpgsqlConnection> OpenApplicationConnectionAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ApplicationConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        await EnsureTemplateAsync();
        var name = "smt_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = await OpenAdminAsync())
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateName}\"", admin);
                    await cmd.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
                {
                    await Task.Delay(100);
                }
            }
        }
        return new TestDatabase(name, WithDatabase(AdminConnectionString(), name));
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<double> ScalarDoubleAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return Convert.ToDouble(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    public static string AdminConnectionString()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SITUATIONMAP_TEST_DB");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var passwordFile = Path.Combine(RepoRoot(), ".local", "pg-password");
        if (!File.Exists(passwordFile))
        {
            throw new InvalidOperationException(
                "These tests need a real PostGIS: run scripts/test.sh (it starts one), or set SITUATIONMAP_TEST_DB to an admin connection string.");
        }
        var port = Environment.GetEnvironmentVariable("SITUATIONMAP_PG_PORT") ?? "55432";
        return $"Host=127.0.0.1;Port={port};Username=postgres;Password={File.ReadAllText(passwordFile).Trim()};Database=postgres";
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SituationMap.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SituationMap.sln not found above " + AppContext.BaseDirectory);
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = true, MaxPoolSize = 50 }.ConnectionString;

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The tests' login password: derived from the admin password, so that test runs in parallel (several
    /// checkouts sharing one cluster) agree on it without ever changing it.</summary>
    private static string ApplicationPassword() =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(ApplicationLogin + ":" + new NpgsqlConnectionStringBuilder(AdminConnectionString()).Password)))[..32];

    /// <summary>Creates <see cref="ApplicationLogin"/> (once per cluster) as a member of the application role, which the
    /// migrations created. Another test run may create it at the same moment: then that one wins.</summary>
    private static async Task EnsureApplicationLoginAsync()
    {
        await using var admin = await OpenAdminAsync();
        await using var cmd = new NpgsqlCommand($"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ApplicationLogin}') THEN
                    CREATE ROLE {ApplicationLogin} LOGIN NOSUPERUSER INHERIT PASSWORD '{ApplicationPassword()}';
                END IF;
                IF NOT pg_has_role('{ApplicationLogin}', '{ApplicationRole}', 'MEMBER') THEN
                    GRANT {ApplicationRole} TO {ApplicationLogin};
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END
            $$
            """, admin);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Creates the template once and migrates it to the current schema on every run (a no-op when current).</summary>
    private static async Task EnsureTemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_templateReady) return;
            await using (var admin = await OpenAdminAsync())
            {
                await using var exists = new NpgsqlCommand($"SELECT count(*) FROM pg_database WHERE datname = '{TemplateName}'", admin);
                if ((long)(await exists.ExecuteScalarAsync())! == 0)
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{TemplateName}\"", admin);
                    await create.ExecuteNonQueryAsync();
                }
            }
            var builder = new NpgsqlDataSourceBuilder(WithDatabase(AdminConnectionString(), TemplateName));
            builder.UseNetTopologySuite();
            await using (var dataSource = builder.Build())
            {
                var options = new DbContextOptionsBuilder<SituationMapDb>();
                options.UseSituationMap(dataSource);
                await using var db = new SituationMapDb(options.Options);
                await db.Database.MigrateAsync();
            }
            NpgsqlConnection.ClearAllPools();
            await EnsureApplicationLoginAsync();
            _templateReady = true;
        }
        finally
        {
            TemplateGate.Release();
        }
    }
}
