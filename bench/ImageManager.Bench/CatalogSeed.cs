using System.Globalization;
using System.Text;
using MySqlConnector;

namespace ImageManager.Bench;

/// <summary>
/// Fills the bench's catalogue database with a fleet's worth of rows, straight through SQL (the API would take an
/// hour): <see cref="Images"/> images (10 versions per name, 50 vendors, three kinds, 90 % active), two tags and two
/// properties each, and every image on 10 of <see cref="Vims"/> VIMs: 1,000,000 image-VIM rows.
/// </summary>
public static class CatalogSeed
{
    public const int Images = 100_000;
    public const int Vims = 1_000;
    public const int VimsPerImage = 10;
    public const int Tags = 200;
    const int Batch = 2_000;

    public static Guid ImageId(int i) => new($"00000000-0000-7000-8000-{i:D12}");

    public static string VimId(int v) => $"bench_vim_{v:D4}";

    public static async Task SeedAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await InsertAsync(connection, "images (id, kind, name, version, vendor, status, visibility, protected, exclude_from_latest, revision, size_bytes, created_at, updated_at)",
            Images, i =>
            {
                var kind = (i % 5) switch { < 3 => "vm-image", 3 => "container-image", _ => "software-package" };
                var status = (i % 20) switch { 0 => "rejected", 1 => "queued", _ => "active" };
                var created = start.AddSeconds(i * 300.0).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
                return $"('{ImageId(i)}','{kind}','img-{i / 10:D5}','1.{i % 10}.0','vendor-{i % 50}','{status}','public',0,0,0,{1_000_000 + i},'{created}','{created}')";
            });
        await InsertAsync(connection, "image_tags (image_id, tag)", Images * 2, row =>
            $"('{ImageId(row / 2)}','tag-{(row % 2 == 0 ? row / 2 : (row / 2 * 7) + 1) % Tags}')");
        await InsertAsync(connection, "image_properties (image_id, property_key, property_value)", Images * 2, row =>
            row % 2 == 0 ? $"('{ImageId(row / 2)}','hw','{(row / 2 % 3 == 0 ? "arm" : "x86")}')" : $"('{ImageId(row / 2)}','site','site-{row / 2 % 100}')");
        await InsertAsync(connection, "image_locations (image_id, vim_id, state, vim_image_id, changed_at)", Images * VimsPerImage, row =>
        {
            var image = row / VimsPerImage;
            var vim = ((image * VimsPerImage) + (row % VimsPerImage)) % Vims;
            return $"('{ImageId(image)}','{VimId(vim)}','{(row % 20 == 0 ? "failed" : "active")}','v{row}','2026-06-01 00:00:00.000000')";
        });
        await using var analyze = new MySqlCommand("ANALYZE TABLE images, image_tags, image_properties, image_locations", connection);
        await using var reader = await analyze.ExecuteReaderAsync();
    }

    static async Task InsertAsync(MySqlConnection connection, string into, int rows, Func<int, string> row)
    {
        for (var first = 0; first < rows; first += Batch)
        {
            var sql = new StringBuilder($"INSERT INTO {into} VALUES ");
            for (var i = first; i < Math.Min(rows, first + Batch); i++)
            {
                sql.Append(i == first ? "" : ",").Append(row(i));
            }

            await using var command = new MySqlCommand(sql.ToString(), connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
    }
}
