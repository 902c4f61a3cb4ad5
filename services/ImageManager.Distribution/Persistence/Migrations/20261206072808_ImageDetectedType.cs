using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ImageDetectedType : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "detected_type",
                table: "images",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "detected_type",
                table: "images");
        }
    }
}
