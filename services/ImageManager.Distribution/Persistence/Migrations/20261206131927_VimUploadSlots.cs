using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageManager.Distribution.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VimUploadSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "vim_upload_slots",
                columns: table => new
                {
                    vim_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    slot = table.Column<int>(type: "integer", nullable: false),
                    holder = table.Column<Guid>(type: "uuid", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vim_upload_slots", x => new { x.vim_id, x.slot });
                    table.ForeignKey(
                        name: "FK_vim_upload_slots_vims_vim_id",
                        column: x => x.vim_id,
                        principalTable: "vims",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_vim_upload_slots_holder",
                table: "vim_upload_slots",
                column: "holder",
                filter: "holder IS NOT NULL");

            // Takes one free upload slot of a VIM below its limit, or none (NULL); a function so that the upload's read of its
            // VIM can take the slot in the same statement (VimUploadSlots.Take).
            migrationBuilder.Sql("""
                CREATE FUNCTION vim_upload_slot_take(p_vim_id text, p_limit integer, p_holder uuid, p_lease_seconds double precision)
                RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
                DECLARE
                    taken integer;
                BEGIN
                    FOR attempt IN 1..3 LOOP
                        -- A free row: never held, released, or expired (its replica stopped renewing). SKIP LOCKED: takers at the
                        -- same instant get different rows; a locked row is checked again, so one taken meanwhile is passed over.
                        UPDATE vim_upload_slots AS s SET holder = p_holder, expires_at = now() + make_interval(secs => p_lease_seconds)
                        WHERE (s.vim_id, s.slot) = (
                            SELECT f.vim_id, f.slot FROM vim_upload_slots AS f
                            WHERE f.vim_id = p_vim_id AND f.slot < p_limit AND (f.expires_at IS NULL OR f.expires_at <= now())
                            ORDER BY f.slot LIMIT 1
                            FOR UPDATE SKIP LOCKED)
                        RETURNING s.slot INTO taken;
                        IF taken IS NOT NULL THEN
                            RETURN taken;
                        END IF;

                        -- Every row below the limit exists and is held: the VIM is full.
                        IF (SELECT count(*) FROM vim_upload_slots AS x WHERE x.vim_id = p_vim_id AND x.slot < p_limit) >= p_limit THEN
                            RETURN NULL;
                        END IF;

                        -- Rows are made as uploads first need them (a new VIM, a raised limit): the lowest missing one, held.
                        INSERT INTO vim_upload_slots (vim_id, slot, holder, expires_at)
                        SELECT p_vim_id, g, p_holder, now() + make_interval(secs => p_lease_seconds)
                        FROM generate_series(0, p_limit - 1) AS g
                        WHERE NOT EXISTS (SELECT 1 FROM vim_upload_slots AS x WHERE x.vim_id = p_vim_id AND x.slot = g)
                        ORDER BY g LIMIT 1
                        ON CONFLICT DO NOTHING
                        RETURNING slot INTO taken;
                        IF taken IS NOT NULL THEN
                            RETURN taken;
                        END IF;
                        -- Another taker made that row at the same instant: look again.
                    END LOOP;
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION vim_upload_slot_take(text, integer, uuid, double precision)");

            migrationBuilder.DropTable(
                name: "vim_upload_slots");
        }
    }
}
