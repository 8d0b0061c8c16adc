using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SituationMap.Server.Infrastructure.Database.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            // functions the tables depend on (cameras.view_sector is computed by sm_camera_view)
            migrationBuilder.Sql(SqlResource.Read("Cameras/camera_view.sql"));

            migrationBuilder.CreateTable(
                name: "cameras",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    geom = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    heading_deg = table.Column<double>(type: "double precision", nullable: false),
                    field_of_view_deg = table.Column<double>(type: "double precision", nullable: false),
                    range_m = table.Column<double>(type: "double precision", nullable: false),
                    mounting_height_m = table.Column<double>(type: "double precision", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    privacy_masks = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: true),
                    view_sector = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: true, computedColumnSql: "sm_camera_view(geom, heading_deg, field_of_view_deg, range_m, privacy_masks)", stored: true),
                    installed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    owner_unit = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    district = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    version = table.Column<int>(type: "integer", rowVersion: true, nullable: false, defaultValue: 1),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cameras", x => x.id);
                    table.CheckConstraint("ck_cameras_field_of_view_deg", "field_of_view_deg > 0 AND field_of_view_deg <= 360");
                    table.CheckConstraint("ck_cameras_geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                    table.CheckConstraint("ck_cameras_heading_deg", "heading_deg >= 0 AND heading_deg < 360");
                    table.CheckConstraint("ck_cameras_kind", "kind IN ('fixed', 'ptz', 'dome')");
                    table.CheckConstraint("ck_cameras_mounting_height_m", "mounting_height_m >= 0 AND mounting_height_m <= 300");
                    table.CheckConstraint("ck_cameras_privacy_masks", "privacy_masks IS NULL OR ST_IsValid(privacy_masks)");
                    table.CheckConstraint("ck_cameras_range_m", "range_m > 0 AND range_m <= 1000");
                    table.CheckConstraint("ck_cameras_status", "status IN ('online', 'offline', 'fault')");
                });

            migrationBuilder.CreateTable(
                name: "change_log",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    committed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    layer = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    feature_id = table.Column<long>(type: "bigint", nullable: false),
                    districts = table.Column<string[]>(type: "text[]", nullable: false),
                    min_x = table.Column<double>(type: "double precision", nullable: true),
                    min_y = table.Column<double>(type: "double precision", nullable: true),
                    max_x = table.Column<double>(type: "double precision", nullable: true),
                    max_y = table.Column<double>(type: "double precision", nullable: true),
                    row = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_log", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "districts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    version = table.Column<int>(type: "integer", rowVersion: true, nullable: false, defaultValue: 1),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_districts", x => x.id);
                    table.CheckConstraint("ck_districts_geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                });

            migrationBuilder.CreateTable(
                name: "incidents",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    category = table.Column<string>(type: "text", nullable: false),
                    severity = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    geom = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    district = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    external_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    version = table.Column<int>(type: "integer", rowVersion: true, nullable: false, defaultValue: 1),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_incidents", x => x.id);
                    table.CheckConstraint("ck_incidents_category", "category IN ('violent', 'property_theft', 'robbery', 'burglary', 'fraud', 'traffic', 'public_order', 'dispute', 'fire_hazard', 'other')");
                    table.CheckConstraint("ck_incidents_geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                    table.CheckConstraint("ck_incidents_severity", "severity BETWEEN 1 AND 4");
                    table.CheckConstraint("ck_incidents_status", "status IN ('reported', 'dispatched', 'on_scene', 'resolved', 'closed', 'cancelled')");
                });

            migrationBuilder.CreateTable(
                name: "patrol_routes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    level = table.Column<short>(type: "smallint", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    geom = table.Column<MultiLineString>(type: "geometry(MultiLineString,4326)", nullable: false),
                    owner_unit = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    shift_windows = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    district = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    version = table.Column<int>(type: "integer", rowVersion: true, nullable: false, defaultValue: 1),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patrol_routes", x => x.id);
                    table.CheckConstraint("ck_patrol_routes_geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                    table.CheckConstraint("ck_patrol_routes_level", "level BETWEEN 1 AND 3");
                    table.CheckConstraint("ck_patrol_routes_mode", "mode IN ('vehicle', 'foot', 'bicycle')");
                    table.CheckConstraint("ck_patrol_routes_status", "status IN ('active', 'suspended', 'draft')");
                });

            migrationBuilder.CreateTable(
                name: "patrol_units",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    call_sign = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    level = table.Column<short>(type: "smallint", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    district = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    geom = table.Column<Point>(type: "geometry(Point,4326)", nullable: true),
                    last_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    speed_mps = table.Column<double>(type: "double precision", nullable: true),
                    heading_deg = table.Column<double>(type: "double precision", nullable: true),
                    version = table.Column<int>(type: "integer", rowVersion: true, nullable: false, defaultValue: 1),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patrol_units", x => x.id);
                    table.CheckConstraint("ck_patrol_units_heading_deg", "heading_deg IS NULL OR (heading_deg >= 0 AND heading_deg < 360)");
                    table.CheckConstraint("ck_patrol_units_level", "level BETWEEN 1 AND 3");
                    table.CheckConstraint("ck_patrol_units_mode", "mode IN ('vehicle', 'foot', 'bicycle')");
                    table.CheckConstraint("ck_patrol_units_speed_mps", "speed_mps IS NULL OR (speed_mps >= 0 AND speed_mps <= 100)");
                    table.CheckConstraint("ck_patrol_units_status", "status IN ('available', 'busy', 'off_duty')");
                });

            migrationBuilder.CreateTable(
                name: "roads",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    @class = table.Column<string>(name: "class", type: "character varying(32)", maxLength: 32, nullable: false),
                    one_way = table.Column<bool>(type: "boolean", nullable: false),
                    max_speed_kmh = table.Column<int>(type: "integer", nullable: true),
                    geom = table.Column<LineString>(type: "geometry(LineString,4326)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "zones",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_en = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    kind = table.Column<string>(type: "text", nullable: false),
                    risk_level = table.Column<int>(type: "integer", nullable: false),
                    coverage_target = table.Column<double>(type: "double precision", nullable: true),
                    district = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    version = table.Column<int>(type: "integer", rowVersion: true, nullable: false, defaultValue: 1),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_zones", x => x.id);
                    table.CheckConstraint("ck_zones_coverage_target", "coverage_target IS NULL OR (coverage_target >= 0 AND coverage_target <= 1)");
                    table.CheckConstraint("ck_zones_geom", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                    table.CheckConstraint("ck_zones_kind", "kind IN ('urban_rural_fringe', 'mining_area', 'urban_village', 'disorder_hotspot_area', 'key_facility', 'residential_community', 'crowded_public_place', 'school', 'district')");
                    table.CheckConstraint("ck_zones_risk_level", "risk_level BETWEEN 1 AND 4");
                });

            migrationBuilder.CreateTable(
                name: "unit_positions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    unit_id = table.Column<long>(type: "bigint", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    geom = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    speed_mps = table.Column<double>(type: "double precision", nullable: true),
                    heading_deg = table.Column<double>(type: "double precision", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_positions", x => x.id);
                    table.CheckConstraint("ck_unit_positions_heading_deg", "heading_deg IS NULL OR (heading_deg >= 0 AND heading_deg < 360)");
                    table.CheckConstraint("ck_unit_positions_speed_mps", "speed_mps IS NULL OR (speed_mps >= 0 AND speed_mps <= 100)");
                    table.ForeignKey(
                        name: "fk_unit_positions_patrol_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "patrol_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cameras_district",
                table: "cameras",
                column: "district");

            migrationBuilder.CreateIndex(
                name: "ix_cameras_geom",
                table: "cameras",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_cameras_view_sector",
                table: "cameras",
                column: "view_sector")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_change_log_committed_at",
                table: "change_log",
                column: "committed_at")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "ix_districts_code",
                table: "districts",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_districts_geom",
                table: "districts",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_district",
                table: "incidents",
                column: "district");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_geom",
                table: "incidents",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_occurred_at",
                table: "incidents",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_source_external_id",
                table: "incidents",
                columns: new[] { "source", "external_id" },
                unique: true,
                filter: "external_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_incidents_status_occurred_at",
                table: "incidents",
                columns: new[] { "status", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_patrol_routes_geom",
                table: "patrol_routes",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_patrol_routes_level",
                table: "patrol_routes",
                column: "level");

            migrationBuilder.CreateIndex(
                name: "ix_patrol_units_call_sign",
                table: "patrol_units",
                column: "call_sign",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_patrol_units_geom",
                table: "patrol_units",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_roads_class",
                table: "roads",
                column: "class");

            migrationBuilder.CreateIndex(
                name: "ix_roads_geom",
                table: "roads",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_unit_positions_recorded_at",
                table: "unit_positions",
                column: "recorded_at")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "ix_unit_positions_unit_id_recorded_at",
                table: "unit_positions",
                columns: new[] { "unit_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_zones_geom",
                table: "zones",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_zones_kind",
                table: "zones",
                column: "kind");

            // change log head, version stamping and change logging triggers on every layer table
            migrationBuilder.Sql(SqlResource.Read("Live/change_log.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS change_log_head");
            migrationBuilder.DropTable(
                name: "cameras");

            migrationBuilder.DropTable(
                name: "change_log");

            migrationBuilder.DropTable(
                name: "districts");

            migrationBuilder.DropTable(
                name: "incidents");

            migrationBuilder.DropTable(
                name: "patrol_routes");

            migrationBuilder.DropTable(
                name: "roads");

            migrationBuilder.DropTable(
                name: "unit_positions");

            migrationBuilder.DropTable(
                name: "zones");

            migrationBuilder.DropTable(
                name: "patrol_units");

            migrationBuilder.Sql("DROP FUNCTION IF EXISTS sm_log_change(), sm_stamp_version(), sm_next_change_seq(), sm_log_layer_reloaded(text), sm_camera_view(geometry, double precision, double precision, double precision, geometry)");
        }
    }
}
