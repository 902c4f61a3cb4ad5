using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TargetBytesPerSecond : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "bytes_per_second",
                table: "distribution_targets",
                type: "double precision",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "bytes_per_second",
                table: "distribution_targets");
        }
    }
}
