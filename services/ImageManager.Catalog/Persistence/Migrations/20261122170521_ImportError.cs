using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Catalog.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ImportError : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "import_error",
                table: "images",
                type: "varchar(2048)",
                maxLength: 2048,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "import_error",
                table: "images");
        }
    }
}
