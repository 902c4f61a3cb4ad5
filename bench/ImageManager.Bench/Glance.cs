using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Bench;

/// <summary>The peer measured beside us: a real Glance taking an image by hand (create, PUT the file).</summary>
public static class Glance
{
    /// <summary>Creates an image record (raw, bare) and returns its id.</summary>
    public static async Task<string> CreateAsync(Uri glance, string name)
    {
        using var http = new HttpClient { BaseAddress = glance };
        using var created = await http.PostAsJsonAsync("/v2/images", new { name, disk_format = "raw", container_format = "bare" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public static async Task<string> UploadAsync(Uri glance, string path, string name)
    {
        using var http = new HttpClient { BaseAddress = glance, Timeout = TimeSpan.FromMinutes(30) };
        var id = await CreateAsync(glance, name);
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync($"/v2/images/{id}/file", content);
        put.EnsureSuccessStatusCode();
        return id;
    }

    public static async Task DeleteAsync(Uri glance, string id)
    {
        using var http = new HttpClient { BaseAddress = glance };
        using var _ = await http.DeleteAsync($"/v2/images/{id}");
    }
}
