using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Catalog.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TrustAndEndOfLife : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "end_of_life_announced_at",
                table: "images",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "malware_scan",
                table: "images",
                type: "varchar(32)",
                maxLength: 32,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "signer_authority_sha256_fingerprint",
                table: "images",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "signer_certificate_pem",
                table: "images",
                type: "text",
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "signer_issuer",
                table: "images",
                type: "varchar(1024)",
                maxLength: 1024,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "signer_not_after",
                table: "images",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "signer_serial_number",
                table: "images",
                type: "varchar(128)",
                maxLength: 128,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "signer_sha256_fingerprint",
                table: "images",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "signer_subject",
                table: "images",
                type: "varchar(1024)",
                maxLength: 1024,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "trust_withdrawn_at",
                table: "images",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "trust_withdrawn_reason",
                table: "images",
                type: "varchar(2048)",
                maxLength: 2048,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "IX_images_end_of_life_announced_at_end_of_life",
                table: "images",
                columns: new[] { "end_of_life_announced_at", "end_of_life" });

            migrationBuilder.CreateIndex(
                name: "IX_images_trust_withdrawn_at_signer_sha256_fingerprint",
                table: "images",
                columns: new[] { "trust_withdrawn_at", "signer_sha256_fingerprint" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_end_of_life_announced_at_end_of_life",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_trust_withdrawn_at_signer_sha256_fingerprint",
                table: "images");

            migrationBuilder.DropColumn(
                name: "end_of_life_announced_at",
                table: "images");

            migrationBuilder.DropColumn(
                name: "malware_scan",
                table: "images");

            migrationBuilder.DropColumn(
                name: "signer_authority_sha256_fingerprint",
                table: "images");

            migrationBuilder.DropColumn(
                name: "signer_certificate_pem",
                table: "images");

            migrationBuilder.DropColumn(
                name: "signer_issuer",
                table: "images");

            migrationBuilder.DropColumn(
                name: "signer_not_after",
                table: "images");

            migrationBuilder.DropColumn(
                name: "signer_serial_number",
                table: "images");

            migrationBuilder.DropColumn(
                name: "signer_sha256_fingerprint",
                table: "images");

            migrationBuilder.DropColumn(
                name: "signer_subject",
                table: "images");

            migrationBuilder.DropColumn(
                name: "trust_withdrawn_at",
                table: "images");

            migrationBuilder.DropColumn(
                name: "trust_withdrawn_reason",
                table: "images");
        }
    }
}
