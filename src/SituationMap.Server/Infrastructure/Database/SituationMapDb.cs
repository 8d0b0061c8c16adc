using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Buildings;
using SituationMap.Server.Cameras;
using SituationMap.Server.Districts;
using SituationMap.Server.Incidents;
using SituationMap.Server.Live;
using SituationMap.Server.Patrols;
using SituationMap.Server.Roads;
using SituationMap.Server.Zones;

namespace SituationMap.Server.Infrastructure.Database;

public sealed class SituationMapDb : DbContext, IDataProtectionKeyContext
{
    public SituationMapDb(DbContextOptions<SituationMapDb> options)
        : base(options)
    {
        // SaveChanges always runs in a transaction, so the audit interceptor can attribute every write
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
    }

    public DbSet<Incident> Incidents => Set<Incident>();

    public DbSet<Camera> Cameras => Set<Camera>();

    public DbSet<PatrolRoute> PatrolRoutes => Set<PatrolRoute>();

    public DbSet<PatrolUnit> PatrolUnits => Set<PatrolUnit>();

    public DbSet<UnitPosition> UnitPositions => Set<UnitPosition>();

    public DbSet<Zone> Zones => Set<Zone>();

    public DbSet<District> Districts => Set<District>();

    public DbSet<Road> Roads => Set<Road>();

    public DbSet<Building> Buildings => Set<Building>();

    public DbSet<Dispatch.DispatchRecord> Dispatches => Set<Dispatch.DispatchRecord>();

    public DbSet<ChangeLogEntry> ChangeLog => Set<ChangeLogEntry>();

    public DbSet<Situation.SituationSnapshot> SituationSnapshots => Set<Situation.SituationSnapshot>();

    public DbSet<Accounts.Account> Accounts => Set<Accounts.Account>();

    public DbSet<Accounts.ApiToken> ApiTokens => Set<Accounts.ApiToken>();

    public DbSet<Audit.AuditEntry> AuditLog => Set<Audit.AuditEntry>();

    /// <summary>The ASP.NET Core Data Protection key ring, shared by every node (cookies and anti-forgery tokens).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SituationMapDb).Assembly);
    }
}
