namespace ImageManager.Api.Audit;

/// <summary>Names a change from its request line: <c>image.create</c>, <c>image.file.upload</c>, <c>api-key.revoke</c> and so on.</summary>
public static class AuditActions
{
    public static string Of(string method, PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries); // api, v1, resource, id?, sub?
        if (segments.Length < 3)
        {
            return $"{method.ToLowerInvariant()} {path}";
        }

        var resource = segments[2] switch
        {
            "images" => "image",
            "vims" => "vim",
            "distributions" => "distribution",
            "api-keys" => "api-key",
            "certificates" => "certificate",
            "subscriptions" => "subscription",
            "removals" => "removal",
            "recalls" => "recall",
            var other => other,
        };
        return (segments.Length, method.ToUpperInvariant(), resource) switch
        {
            (3, "POST", _) => $"{resource}.create",
            (3, "PUT", _) => $"{resource}.upsert",
            (4, "PATCH", _) => $"{resource}.update",
            (4, "DELETE", "api-key") => "api-key.revoke",
            (4, "DELETE", _) => $"{resource}.delete",
            (5, "PUT", _) when segments[4] == "file" => $"{resource}.file.upload",
            (5, "PATCH", _) when segments[4] == "file" => $"{resource}.file.append",
            (5, "POST", _) when segments[3] == "imports" => $"{resource}.import.{segments[4]}",
            (5, "POST", _) => $"{resource}.{segments[4]}",
            (6, "DELETE", _) when segments[4] == "locations" => $"{resource}.location.forget",
            _ => $"{method.ToLowerInvariant()} {path}",
        };
    }
}
