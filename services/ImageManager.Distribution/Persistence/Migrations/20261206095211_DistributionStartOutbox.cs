using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DistributionStartOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "start_published_at",
                table: "distributions",
                type: "timestamp with time zone",
                nullable: true);

            // Every distribution before this one was started by the saga as it was written.
            migrationBuilder.Sql("UPDATE distributions SET start_published_at = updated_at");

            migrationBuilder.CreateIndex(
                name: "ix_distributions_start_owed",
                table: "distributions",
                column: "updated_at",
                filter: "start_published_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_distributions_start_owed",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "start_published_at",
                table: "distributions");
        }
    }
}
