using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VimHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "health_reason",
                table: "vims",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_answered_at",
                table: "vims",
                type: "timestamp with time zone",
                nullable: true);

            // Existing VIMs: one that holds a copy we made or found has answered, when its last such target ended; one
            // whose last probe failed keeps that as its reason, read from the error's words; the rest are unknown until
            // the periodic probe (which takes VIMs that never answered) has asked them.
            migrationBuilder.Sql("""
                UPDATE vims v SET last_answered_at = t.answered_at
                FROM (SELECT vim_id, max(updated_at) AS answered_at FROM distribution_targets
                      WHERE state IN ('active', 'skipped') GROUP BY vim_id) t
                WHERE t.vim_id = v.id;
                UPDATE vims SET health_reason = CASE
                        WHEN last_error LIKE 'TLS with %' THEN 'tls'
                        WHEN last_error LIKE '% is unreachable: %' OR last_error LIKE '%did not answer%' THEN 'unreachable'
                        WHEN last_error LIKE '% 401 %' OR last_error LIKE '% 403 %' OR last_error LIKE '%refused the credentials%' THEN 'authentication'
                        ELSE 'refused' END
                WHERE last_error IS NOT NULL;
                """);

            // A user name or password in a VIM's URL was shown to every viewer, and HttpClient never sent it: registrations
            // now refuse it; what earlier ones stored goes.
            migrationBuilder.Sql("""
                UPDATE vims SET endpoint = regexp_replace(endpoint, '^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@', '\1')
                WHERE endpoint ~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]*@';
                UPDATE vims SET identity_url = regexp_replace(identity_url, '^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@', '\1')
                WHERE identity_url ~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]*@';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "health_reason",
                table: "vims");

            migrationBuilder.DropColumn(
                name: "last_answered_at",
                table: "vims");
        }
    }
}
