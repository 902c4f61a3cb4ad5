using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DistributionStrategies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "canary_size",
                table: "distributions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deadline",
                table: "distributions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "distributions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "distribution");

            migrationBuilder.AddColumn<int>(
                name: "max_failures",
                table: "distributions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "max_parallel",
                table: "distributions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "removed_count",
                table: "distributions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "request_id",
                table: "distributions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "response_address",
                table: "distributions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "stop_reason",
                table: "distributions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dispatched_at",
                table: "distribution_targets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "sequence",
                table: "distribution_targets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "wave",
                table: "distribution_targets",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_distribution_targets_waiting",
                table: "distribution_targets",
                columns: new[] { "distribution_id", "wave", "sequence" },
                filter: "dispatched_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_distribution_targets_waiting",
                table: "distribution_targets");

            migrationBuilder.DropColumn(
                name: "canary_size",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "deadline",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "max_failures",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "max_parallel",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "removed_count",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "response_address",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "stop_reason",
                table: "distributions");

            migrationBuilder.DropColumn(
                name: "dispatched_at",
                table: "distribution_targets");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "distribution_targets");

            migrationBuilder.DropColumn(
                name: "wave",
                table: "distribution_targets");
        }
    }
}
