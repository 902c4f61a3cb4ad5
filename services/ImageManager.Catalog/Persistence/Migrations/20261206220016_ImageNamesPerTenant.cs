using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Catalog.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ImageNamesPerTenant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Names unique per owning tenant and among public images (Images/ImageNames). The data written under the old
            // rule (unique across all tenants) already keeps the new one, so the new indexes build on it as it is.
            migrationBuilder.AddColumn<string>(
                name: "owner_scope",
                table: "images",
                type: "varchar(255)",
                maxLength: 255,
                nullable: true,
                computedColumnSql: "coalesce(`owner`, '')",
                stored: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<bool>(
                name: "public_scope",
                table: "images",
                type: "tinyint(1)",
                nullable: true,
                computedColumnSql: "case when `visibility` = 'public' then 1 end",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_images_owner_scope_kind_name_version",
                table: "images",
                columns: new[] { "owner_scope", "kind", "name", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_images_public_scope_kind_name_version",
                table: "images",
                columns: new[] { "public_scope", "kind", "name", "version" },
                unique: true);

            // Dropped last: the table is never without a rule on names (MariaDB runs each statement of a migration on its own).
            migrationBuilder.DropIndex(
                name: "IX_images_kind_name_version",
                table: "images");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_owner_scope_kind_name_version",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_public_scope_kind_name_version",
                table: "images");

            migrationBuilder.DropColumn(
                name: "owner_scope",
                table: "images");

            migrationBuilder.DropColumn(
                name: "public_scope",
                table: "images");

            migrationBuilder.CreateIndex(
                name: "IX_images_kind_name_version",
                table: "images",
                columns: new[] { "kind", "name", "version" },
                unique: true);
        }
    }
}
