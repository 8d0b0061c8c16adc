using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace SituationMap.Server.Infrastructure.Database;

/// <summary>Used by `dotnet ef migrations add`; needs no running database.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<SituationMapDb>
{
    public SituationMapDb CreateDbContext(string[] args)
    {
        var builder = new NpgsqlDataSourceBuilder("Host=localhost;Database=design_time");
        builder.UseNetTopologySuite();
        var options = new DbContextOptionsBuilder<SituationMapDb>();
        options.UseSituationMap(builder.Build());
        return new SituationMapDb(options.Options);
    }
}
