using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Infrastructure.Database;

public static class ModelBuilderExtensions
{
    /// <summary>
    /// The columns every layer shares: id, version (optimistic concurrency; set by the database on every write),
    /// created_at and updated_at (set by the database), and a GiST index on the geometry column <c>geom</c>.
    /// </summary>
    public static void ConfigureLayer<T>(this EntityTypeBuilder<T> e, string table) where T : class, ILayerEntity
    {
        e.ToTable(table);
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Version).IsConcurrencyToken().ValueGeneratedOnAddOrUpdate().HasDefaultValue(1);
        e.Property(x => x.CreatedAt).ValueGeneratedOnAdd().HasDefaultValueSql("now()");
        e.Property(x => x.UpdatedAt).ValueGeneratedOnAddOrUpdate().HasDefaultValueSql("now()");
    }

    public static PropertyBuilder<TEnum> HasWireName<TEnum>(this PropertyBuilder<TEnum> p) where TEnum : struct, Enum =>
        p.HasConversion(new WireNameConverter<TEnum>()).HasColumnType("text");

    /// <summary>CHECK (column IN (…the enum's wire names…)).</summary>
    public static void HasWireNameCheck<T, TEnum>(this EntityTypeBuilder<T> e, string column) where T : class where TEnum : struct, Enum =>
        e.ToTable(t => t.HasCheckConstraint($"ck_{e.Metadata.GetTableName()}_{column}", $"{column} IN ({WireNameConverter<TEnum>.SqlValues})"));

    public static void HasCheck<T>(this EntityTypeBuilder<T> e, string name, string sql) where T : class =>
        e.ToTable(t => t.HasCheckConstraint($"ck_{e.Metadata.GetTableName()}_{name}", sql));
}
