using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VimCopyOwnership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "images",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "withdrawn_at",
                table: "images",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "released_count",
                table: "distributions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "vim_copies",
                columns: table => new
                {
                    vim_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    vim_image_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_by_image_manager = table.Column<bool>(type: "boolean", nullable: false),
                    created_for_image_id = table.Column<Guid>(type: "uuid", nullable: true),
                    owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    last_error = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vim_copies", x => new { x.vim_id, x.vim_image_id });
                });

            migrationBuilder.CreateTable(
                name: "vim_copy_references",
                columns: table => new
                {
                    image_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vim_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    vim_image_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    origin = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    distribution_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vim_copy_references", x => new { x.image_id, x.vim_id, x.vim_image_id });
                    table.ForeignKey(
                        name: "FK_vim_copy_references_vim_copies_vim_id_vim_image_id",
                        columns: x => new { x.vim_id, x.vim_image_id },
                        principalTable: "vim_copies",
                        principalColumns: new[] { "vim_id", "vim_image_id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_vim_copy_references_vim_id_vim_image_id",
                table: "vim_copy_references",
                columns: new[] { "vim_id", "vim_image_id" });
            // What the targets so far say is on the VIMs: an active target's copy was created by Image Manager for its image; a
            // skipped target's copy was found, and is Image Manager's only if some active target created it. A copy a later
            // removal deleted is left out. Owners are unknown for these rows (null): they are shared only with images of no owner.
            migrationBuilder.Sql("""
                WITH placed AS (
                    SELECT d.image_id, t.vim_id, t.vim_image_id, t.state, t.distribution_id, t.updated_at
                    FROM distribution_targets t JOIN distributions d ON d.id = t.distribution_id
                    WHERE d.kind = 'distribution' AND t.state IN ('active', 'skipped', 'drifted') AND t.vim_image_id IS NOT NULL
                      AND NOT EXISTS (
                          SELECT 1 FROM distribution_targets r JOIN distributions rd ON rd.id = r.distribution_id
                          WHERE rd.kind = 'removal' AND rd.image_id = d.image_id AND r.vim_id = t.vim_id AND r.state = 'removed' AND r.updated_at > t.updated_at))
                INSERT INTO vim_copies (vim_id, vim_image_id, created_by_image_manager, created_for_image_id, owner, state, created_at, updated_at)
                SELECT DISTINCT ON (vim_id, vim_image_id) vim_id, vim_image_id, state <> 'skipped', CASE WHEN state <> 'skipped' THEN image_id END, NULL, 'present', updated_at, updated_at
                FROM placed
                ORDER BY vim_id, vim_image_id, (state = 'skipped'), updated_at;

                WITH placed AS (
                    SELECT d.image_id, t.vim_id, t.vim_image_id, t.distribution_id, t.updated_at
                    FROM distribution_targets t JOIN distributions d ON d.id = t.distribution_id
                    WHERE d.kind = 'distribution' AND t.state IN ('active', 'skipped', 'drifted') AND t.vim_image_id IS NOT NULL)
                INSERT INTO vim_copy_references (image_id, vim_id, vim_image_id, origin, distribution_id, created_at)
                SELECT DISTINCT ON (p.image_id, p.vim_id, p.vim_image_id) p.image_id, p.vim_id, p.vim_image_id,
                       CASE WHEN c.created_for_image_id = p.image_id THEN 'created' ELSE 'found' END, p.distribution_id, p.updated_at
                FROM placed p JOIN vim_copies c ON c.vim_id = p.vim_id AND c.vim_image_id = p.vim_image_id
                ORDER BY p.image_id, p.vim_id, p.vim_image_id, p.updated_at;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "vim_copy_references");

            migrationBuilder.DropTable(
                name: "vim_copies");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "images");

            migrationBuilder.DropColumn(
                name: "withdrawn_at",
                table: "images");

            migrationBuilder.DropColumn(
                name: "released_count",
                table: "distributions");
        }
    }
}
