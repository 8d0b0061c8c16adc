using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SituationMap.Server.Accounts;

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> e)
    {
        e.ToTable("accounts", t =>
        {
            t.HasCheckConstraint("ck_accounts_username", "username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'");
            t.HasCheckConstraint("ck_accounts_roles", "roles <@ ARRAY['viewer', 'dispatcher', 'planner', 'commander', 'admin']::text[]");
        });
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Username).HasMaxLength(64);
        e.HasIndex(x => x.Username).IsUnique();
        e.Property(x => x.DisplayName).HasMaxLength(200);
        e.Property(x => x.Roles).HasColumnType("text[]");
        e.Property(x => x.Districts).HasColumnType("text[]");
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        e.Property(x => x.SecurityStamp).IsConcurrencyToken();
    }
}

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> e)
    {
        e.ToTable("api_tokens");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Prefix).HasMaxLength(16);
        e.HasIndex(x => x.TokenHash).IsUnique();
        e.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
