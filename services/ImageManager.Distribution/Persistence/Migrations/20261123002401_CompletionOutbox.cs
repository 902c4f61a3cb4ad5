using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CompletionOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "completion_published_at",
                table: "distributions",
                type: "timestamp with time zone",
                nullable: true);

            // Distributions completed before this column existed published their completion then.
            migrationBuilder.Sql("UPDATE distributions SET completion_published_at = completed_at WHERE state = 'Completed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "completion_published_at",
                table: "distributions");
        }
    }
}
