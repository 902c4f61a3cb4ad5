using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Catalog.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CatalogueModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_status_created_at",
                table: "images");

            migrationBuilder.AddColumn<string>(
                name: "architecture",
                table: "images",
                type: "varchar(32)",
                maxLength: 32,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "detected_type",
                table: "images",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<DateOnly>(
                name: "end_of_life",
                table: "images",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "exclude_from_latest",
                table: "images",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "min_disk_gb",
                table: "images",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "min_ram_mb",
                table: "images",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "os_distro",
                table: "images",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "os_version",
                table: "images",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "images",
                type: "varchar(255)",
                maxLength: 255,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<bool>(
                name: "protected",
                table: "images",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "revision",
                table: "images",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "uploaded_by",
                table: "images",
                type: "varchar(255)",
                maxLength: 255,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "validated_at",
                table: "images",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "virtual_size_bytes",
                table: "images",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "visibility",
                table: "images",
                type: "varchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "private")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "image_locations",
                columns: table => new
                {
                    image_id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    vim_id = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    state = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vim_image_id = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    distribution_id = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    error = table.Column<string>(type: "varchar(2048)", maxLength: 2048, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    changed_at = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_locations", x => new { x.image_id, x.vim_id });
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "image_properties",
                columns: table => new
                {
                    image_id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    property_key = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    property_value = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_properties", x => new { x.image_id, x.property_key });
                    table.ForeignKey(
                        name: "FK_image_properties_images_image_id",
                        column: x => x.image_id,
                        principalTable: "images",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "image_tags",
                columns: table => new
                {
                    image_id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    tag = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_tags", x => new { x.image_id, x.tag });
                    table.ForeignKey(
                        name: "FK_image_tags_images_image_id",
                        column: x => x.image_id,
                        principalTable: "images",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "IX_images_created_at_id",
                table: "images",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_kind_created_at_id",
                table: "images",
                columns: new[] { "kind", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_name_id",
                table: "images",
                columns: new[] { "name", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_size_bytes_id",
                table: "images",
                columns: new[] { "size_bytes", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_status_created_at_id",
                table: "images",
                columns: new[] { "status", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_updated_at_id",
                table: "images",
                columns: new[] { "updated_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_vendor_created_at_id",
                table: "images",
                columns: new[] { "vendor", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_image_locations_vim_id_image_id",
                table: "image_locations",
                columns: new[] { "vim_id", "image_id" });

            migrationBuilder.CreateIndex(
                name: "IX_image_properties_property_key_property_value_image_id",
                table: "image_properties",
                columns: new[] { "property_key", "property_value", "image_id" });

            migrationBuilder.CreateIndex(
                name: "IX_image_tags_tag_image_id",
                table: "image_tags",
                columns: new[] { "tag", "image_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "image_locations");

            migrationBuilder.DropTable(
                name: "image_properties");

            migrationBuilder.DropTable(
                name: "image_tags");

            migrationBuilder.DropIndex(
                name: "IX_images_created_at_id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_kind_created_at_id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_name_id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_size_bytes_id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_status_created_at_id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_updated_at_id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_vendor_created_at_id",
                table: "images");

            migrationBuilder.DropColumn(
                name: "architecture",
                table: "images");

            migrationBuilder.DropColumn(
                name: "detected_type",
                table: "images");

            migrationBuilder.DropColumn(
                name: "end_of_life",
                table: "images");

            migrationBuilder.DropColumn(
                name: "exclude_from_latest",
                table: "images");

            migrationBuilder.DropColumn(
                name: "min_disk_gb",
                table: "images");

            migrationBuilder.DropColumn(
                name: "min_ram_mb",
                table: "images");

            migrationBuilder.DropColumn(
                name: "os_distro",
                table: "images");

            migrationBuilder.DropColumn(
                name: "os_version",
                table: "images");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "images");

            migrationBuilder.DropColumn(
                name: "protected",
                table: "images");

            migrationBuilder.DropColumn(
                name: "revision",
                table: "images");

            migrationBuilder.DropColumn(
                name: "uploaded_by",
                table: "images");

            migrationBuilder.DropColumn(
                name: "validated_at",
                table: "images");

            migrationBuilder.DropColumn(
                name: "virtual_size_bytes",
                table: "images");

            migrationBuilder.DropColumn(
                name: "visibility",
                table: "images");

            migrationBuilder.CreateIndex(
                name: "IX_images_status_created_at",
                table: "images",
                columns: new[] { "status", "created_at" });
        }
    }
}
