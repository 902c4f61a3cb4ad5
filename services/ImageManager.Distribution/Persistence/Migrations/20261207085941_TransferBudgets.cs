using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TransferBudgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "estimate_basis",
                table: "distributions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "estimated_last_start_seconds",
                table: "distributions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "estimated_seconds",
                table: "distributions",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "transfers_in_flight",
                columns: table => new
                {
                    reporter = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    vim_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    transfers = table.Column<int>(type: "integer", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transfers_in_flight", x => new { x.reporter, x.vim_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_transfers_in_flight_vim_id",
                table: "transfers_in_flight",
                column: "vim_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "transfers_in_flight");

            migrationBuilder.DropColumn(
                name: "estimate_basis",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "estimated_last_start_seconds",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "estimated_seconds",
                table: "distributions");
        }
    }
}
