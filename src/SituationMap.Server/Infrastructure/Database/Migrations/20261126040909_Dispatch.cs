using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class Dispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "assigned_incident_id",
                table: "patrol_units",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "route_id",
                table: "patrol_units",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "dispatches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    incident_id = table.Column<long>(type: "bigint", nullable: false),
                    unit_id = table.Column<long>(type: "bigint", nullable: false),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    eta_seconds = table.Column<double>(type: "double precision", nullable: true),
                    distance_m = table.Column<double>(type: "double precision", nullable: true),
                    arrived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dispatches", x => x.id);
                    table.ForeignKey(
                        name: "fk_dispatches_incidents_incident_id",
                        column: x => x.incident_id,
                        principalTable: "incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dispatches_patrol_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "patrol_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_patrol_units_assigned_incident_id",
                table: "patrol_units",
                column: "assigned_incident_id");

            migrationBuilder.CreateIndex(
                name: "ix_patrol_units_route_id",
                table: "patrol_units",
                column: "route_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispatches_incident_id",
                table: "dispatches",
                column: "incident_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispatches_unit_id_assigned_at",
                table: "dispatches",
                columns: new[] { "unit_id", "assigned_at" });

            migrationBuilder.AddForeignKey(
                name: "fk_patrol_units_incidents_assigned_incident_id",
                table: "patrol_units",
                column: "assigned_incident_id",
                principalTable: "incidents",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_patrol_units_patrol_routes_route_id",
                table: "patrol_units",
                column: "route_id",
                principalTable: "patrol_routes",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            // a unit is assigned to an incident only while busy; a unit has at most one open dispatch
            migrationBuilder.AddCheckConstraint(
                name: "ck_patrol_units_assigned_incident_id",
                table: "patrol_units",
                sql: "assigned_incident_id IS NULL OR status = 'busy'");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_dispatches_open_unit ON dispatches (unit_id) WHERE released_at IS NULL");
            migrationBuilder.Sql(SqlResource.Read("Dispatch/dispatch.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS sm_incident_dispatch_status ON incidents; DROP FUNCTION IF EXISTS sm_incident_dispatch_status(); " +
                "DROP TRIGGER IF EXISTS sm_unit_release ON patrol_units; DROP FUNCTION IF EXISTS sm_unit_release();");
            migrationBuilder.DropCheckConstraint(
                name: "ck_patrol_units_assigned_incident_id",
                table: "patrol_units");

            migrationBuilder.DropForeignKey(
                name: "fk_patrol_units_incidents_assigned_incident_id",
                table: "patrol_units");

            migrationBuilder.DropForeignKey(
                name: "fk_patrol_units_patrol_routes_route_id",
                table: "patrol_units");

            migrationBuilder.DropTable(
                name: "dispatches");

            migrationBuilder.DropIndex(
                name: "ix_patrol_units_assigned_incident_id",
                table: "patrol_units");

            migrationBuilder.DropIndex(
                name: "ix_patrol_units_route_id",
                table: "patrol_units");

            migrationBuilder.DropColumn(
                name: "assigned_incident_id",
                table: "patrol_units");

            migrationBuilder.DropColumn(
                name: "route_id",
                table: "patrol_units");
        }
    }
}
