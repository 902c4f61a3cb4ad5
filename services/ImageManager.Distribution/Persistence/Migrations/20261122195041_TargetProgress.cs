using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TargetProgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "progress",
                table: "distribution_targets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Targets recorded before this column: their progress from what they show (see TargetProgress).
            migrationBuilder.Sql("""
                UPDATE distribution_targets SET progress = attempt * 10 + CASE
                    WHEN state = 'pending' AND attempt = 0 THEN 0
                    WHEN state = 'uploading' THEN 1
                    WHEN state = 'verifying' THEN 2
                    WHEN state = 'pending' THEN 3
                    ELSE 4 END;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_distribution_targets_distribution_id_state",
                table: "distribution_targets",
                columns: new[] { "distribution_id", "state" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_distribution_targets_distribution_id_state",
                table: "distribution_targets");

            migrationBuilder.DropColumn(
                name: "progress",
                table: "distribution_targets");
        }
    }
}
