using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageManager.EndToEnd.Tests;

/// <summary>What an operator of a Glance VIM does by hand, behind Image Manager's back: images of their own, the protected flag, a look at what is there.</summary>
public static class GlanceByHand
{
    /// <summary>Creates an active image with these bytes (Glance hashes them with SHA-512); returns its id.</summary>
    public static async Task<string> CreateImageAsync(Uri glance, string name, byte[] bytes)
    {
        using var http = new HttpClient { BaseAddress = glance };
        using var created = await http.PostAsJsonAsync("/v2/images", new { name, disk_format = "raw", container_format = "bare" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var uploaded = await http.PutAsync($"/v2/images/{id}/file", content);
        uploaded.EnsureSuccessStatusCode();
        return id;
    }

    public static async Task SetProtectedAsync(Uri glance, string id, bool value)
    {
        using var http = new HttpClient { BaseAddress = glance };
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v2/images/{id}")
        {
            Content = new StringContent($$"""[{"op": "replace", "path": "/protected", "value": {{(value ? "true" : "false")}}}]""", Encoding.UTF8),
        };
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/openstack-images-v2.1-json-patch");
        using var patched = await http.SendAsync(patch);
        patched.EnsureSuccessStatusCode();
    }

    /// <summary>The ids of the images Image Manager created on this Glance for a catalogue image (it tags each with the image's id).</summary>
    public static async Task<List<string>> ImagesMadeForAsync(Uri glance, Guid imageId)
    {
        using var http = new HttpClient { BaseAddress = glance };
        var listed = await http.GetFromJsonAsync<JsonObject>($"/v2/images?image_manager_image_id={imageId}");
        return listed!["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
    }

    public static async Task DeleteAsync(Uri glance, string id)
    {
        using var http = new HttpClient { BaseAddress = glance };
        await SetProtectedAsync(glance, id, false);
        using var _ = await http.DeleteAsync($"/v2/images/{id}");
    }
}
