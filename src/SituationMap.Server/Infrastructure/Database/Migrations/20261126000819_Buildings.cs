using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class Buildings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "buildings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    @ref = table.Column<string>(name: "ref", type: "character varying(100)", maxLength: 100, nullable: true),
                    source = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    levels = table.Column<int>(type: "integer", nullable: true),
                    height_m = table.Column<double>(type: "double precision", nullable: true),
                    district = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_buildings", x => x.id);
                    table.CheckConstraint("ck_buildings_height", "height_m IS NULL OR (height_m > 0 AND height_m <= 1000)");
                    table.CheckConstraint("ck_buildings_kind", "kind IN ('residential', 'commercial', 'industrial', 'public', 'other')");
                    table.CheckConstraint("ck_buildings_levels", "levels IS NULL OR levels BETWEEN 0 AND 200");
                });

            migrationBuilder.CreateIndex(
                name: "ix_buildings_geom",
                table: "buildings",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_buildings_source_ref",
                table: "buildings",
                columns: new[] { "source", "ref" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "buildings");
        }
    }
}
