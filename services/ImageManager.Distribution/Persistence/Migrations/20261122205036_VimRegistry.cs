using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VimRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "bandwidth_limit_bytes_per_second",
                table: "vims",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ca_certificates",
                table: "vims",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "circuit_open_until",
                table: "vims",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "consecutive_failures",
                table: "vims",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "identity_url",
                table: "vims",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "insecure_skip_tls_verify",
                table: "vims",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "vims",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_probe_at",
                table: "vims",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "max_concurrent_uploads",
                table: "vims",
                type: "integer",
                nullable: false,
                defaultValue: 4);

            migrationBuilder.AddColumn<string>(
                name: "protected_credentials",
                table: "vims",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tenant",
                table: "vims",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "upload_mode",
                table: "vims",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "push");

            migrationBuilder.CreateIndex(
                name: "IX_vims_region",
                table: "vims",
                column: "region");

            migrationBuilder.CreateIndex(
                name: "IX_vims_tags",
                table: "vims",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_vims_region",
                table: "vims");

            migrationBuilder.DropIndex(
                name: "IX_vims_tags",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "bandwidth_limit_bytes_per_second",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "ca_certificates",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "circuit_open_until",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "consecutive_failures",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "identity_url",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "insecure_skip_tls_verify",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "last_error",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "last_probe_at",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "max_concurrent_uploads",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "protected_credentials",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "tenant",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "upload_mode",
                table: "vims");
        }
    }
}
