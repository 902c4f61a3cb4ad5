namespace ImageManager.Api.OpenApi;

/// <summary>
/// Examples for every operation of the public API, keyed by method and route, as the OpenAPI document shows them beside
/// the schemas (which come from the types in the contracts). A test checks that every operation has one.
/// </summary>
public static class ApiExamples
{
    const string Image = """
        {"id": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "kind": "vm-image", "name": "vfw", "version": "2.1.0", "vendor": "acme",
         "description": "Virtual firewall", "diskFormat": "qcow2", "containerFormat": "bare", "status": "active", "visibility": "public",
         "owner": "acme-ops", "sharedWith": [], "uploadedBy": "sdc", "tags": ["5g", "edge"], "properties": {"hw_arch": "x86_64"}, "osDistro": "debian",
         "osVersion": "12", "architecture": "x86_64", "minRamMb": 2048, "minDiskGb": 10, "protected": false, "endOfLife": "2028-12-31",
         "excludeFromLatest": false, "sizeBytes": 734003200, "virtualSizeBytes": 10737418240,
         "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "sha512": "ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8a0e1d5f84f88bc887fd67b143732c304cc5fa9ad8e6f57f50028a8ff",
         "detectedType": "qcow2", "validatedAt": "2026-11-22T18:03:11Z", "rejectionReason": null, "malwareScan": "clean",
         "signedBy": {"subject": "CN=Acme Image Signing, O=Acme", "issuer": "CN=Acme Vendor CA, O=Acme", "serialNumber": "1F2E3D4C5B6A7988",
                      "sha256Fingerprint": "3b1f0c5e9a7d2e4f6a8b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f", "notAfter": "2028-06-30T00:00:00Z",
                      "authoritySha256Fingerprint": "8d2c4e6f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d"},
         "trust": "trusted", "packageId": null, "pathInPackage": null,
         "locations": [{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "vimId": "att_dallas-1", "state": "active",
                        "vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "distributionId": "0195a3c5-0000-7000-8000-000000000001",
                        "error": null, "changedAt": "2026-11-22T18:05:40Z"}],
         "createdAt": "2026-11-22T18:00:02Z", "updatedAt": "2026-11-22T18:05:40Z"}
        """;

    const string Problem = """{"type": "https://tools.ietf.org/html/rfc9110#section-15.5.10", "title": "Conflict", "status": 409, "detail": "Image 0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11 is on 2 VIM(s) (att_dallas-1, att_austin-2); delete with ?purge=true to remove it from them first."}""";

    const string ValidationProblem = """{"title": "One or more validation errors occurred.", "status": 400, "detail": "'colour' is not a filter of this list; the parameters are kind, name, ….", "errors": {"colour": ["'colour' is not a filter of this list; the parameters are kind, name, …."]}}""";

    const string Vim = """{"id": "att_dallas-1", "type": "openstack", "endpoint": "https://glance.dallas-1.example.net:9292/", "identityUrl": "https://keystone.dallas-1.example.net:5000/v3/", "tenant": null, "region": "us-south", "tags": ["edge", "5g"], "uploadMode": "push", "hasCredentials": true, "tls": {"caCertificates": null, "insecureSkipVerify": false}, "limits": {"maxConcurrentUploads": 4, "bandwidthBytesPerSecond": null}, "health": {"state": "healthy", "consecutiveFailures": 0, "circuitOpenUntil": null, "lastProbeAt": "2026-11-22T18:00:00Z", "lastError": null, "reason": null, "lastAnsweredAt": "2026-11-22T18:00:00Z"}, "createdAt": "2026-11-20T09:00:00Z", "updatedAt": "2026-11-20T09:00:00Z"}""";

    const string Target = """{"vimId": "att_dallas-1", "state": "active", "attempt": 1, "vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "lastError": null, "bytesSent": 734003200, "progress": 1.0, "etaSeconds": 0, "updatedAt": "2026-11-22T18:05:40Z"}""";

    const string Distribution = $$"""
        {"id": "0195a3c5-0000-7000-8000-000000000001", "imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "state": "distributing",
         "outcome": null, "requestedAt": "2026-11-22T18:04:00Z", "completedAt": null, "targetCount": 2,
         "counts": {"pending": 0, "uploading": 1, "verifying": 0, "active": 1, "failed": 0, "skipped": 0, "cancelled": 0, "removing": 0, "removed": 0, "released": 0, "drifted": 0},
         "bytesSent": 1101004800, "progress": 0.5, "etaSeconds": 100.0, "targets": [{{Target}}], "targetsNext": null, "retryOf": null,
         "kind": "distribution", "strategy": {"maxParallel": 200, "canarySize": 5, "maxFailures": 10, "deadline": "2026-11-23T06:00:00Z"}, "stopReason": null,
         "tenant": "acme", "estimate": {"durationSeconds": 1468.0, "lastTargetStartSeconds": 734.0, "finishesBy": "2026-11-22T18:28:28Z", "deadlineMet": true, "basis": "734003200 bytes to 2 VIM(s), 2 of them capped; 1 at once; uplink budget 1000000 B/s", "warning": null} }
        """;

    const string ApiKey = """{"id": "k3x9q0w2m1ab", "name": "sdc-production", "tenant": "acme", "roles": ["onboarder"], "createdAt": "2026-11-22T18:00:00Z", "createdBy": "bootstrap-admin", "expiresAt": "2027-02-20T00:00:00Z", "revokedAt": null, "revokedBy": null}""";

    const string ApiKeyCreated = """{"id": "k3x9q0w2m1ab", "name": "sdc-production", "tenant": "acme", "roles": ["onboarder"], "createdAt": "2026-11-22T18:00:00Z", "createdBy": "bootstrap-admin", "expiresAt": "2027-02-20T00:00:00Z", "key": "imk_k3x9q0w2m1ab_…40 characters, shown this once…", "keyNote": "This is the only time the key is shown: store it now. Image Manager keeps only its hash."}""";

    const string Certificate = """{"id": "0195a3b0-1111-7000-8000-000000000002", "name": "acme signing 2026", "subject": "CN=ACME Image Signing", "sha256Fingerprint": "3b9f…", "notAfter": "2027-06-30T00:00:00Z", "pem": "-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n", "createdAt": "2026-11-22T18:00:00Z"}""";

    const string Hub = """{"id": "us-south-hub", "baseUrl": "https://hub.us-south.example.net:8443/", "regions": ["us-south", "us-south-2"], "createdAt": "2026-12-07T09:00:00Z", "updatedAt": "2026-12-07T09:00:00Z"}""";

    const string Subscription = """{"id": "0195a3e0-0000-7000-8000-000000000005", "url": "https://hooks.acme.example/imagemanager", "events": ["org.onap.imagemanager.distribution.*", "org.onap.imagemanager.image.rejected"], "description": "ACME NOC", "tenant": "acme", "allTenants": false, "state": "active", "consecutiveFailures": 0, "suspendedReason": null, "suspendedAt": null, "createdBy": "key:k3x9q0w2m1ab", "createdAt": "2026-11-22T18:00:00Z", "updatedAt": "2026-11-22T18:00:00Z"}""";

    const string Delivery = """{"id": "0195a3e1-0000-7000-8000-000000000006", "eventId": "0195a3d1-0000-7000-8000-00000000000a", "eventType": "org.onap.imagemanager.distribution.completed", "eventSubject": "0195a3c5-0000-7000-8000-000000000001", "state": "pending", "attempts": 2, "lastStatus": 503, "lastError": "The subscriber answered 503 Service Unavailable: busy.", "createdAt": "2026-11-22T18:05:41Z", "lastAttemptAt": "2026-11-22T18:05:47Z", "nextAttemptAt": "2026-11-22T18:05:57Z", "deliveredAt": null}""";

    public static readonly IReadOnlyDictionary<string, OperationExample> ByOperation = new Dictionary<string, OperationExample>(StringComparer.Ordinal)
    {
        ["POST /api/v1/images"] = new(
            """{"name": "vfw", "version": "2.1.0", "kind": "vm-image", "diskFormat": "qcow2", "vendor": "acme", "tags": ["5g"], "properties": {"hw_arch": "x86_64"}, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""",
            new Dictionary<string, string> { ["201"] = Image.Replace("\"active\"", "\"queued\"", StringComparison.Ordinal), ["409"] = Problem }),
        ["GET /api/v1/images"] = new(null, new Dictionary<string, string>
        {
            ["200"] = $$"""{"images": [{{Image}}], "next": "eyJPIjoiY3JlYXRlZEF0OmFzYyIsIlYiOlsiMjAyNi0xMS0yMlQxODowMDowMi4wMDAwMDAwWiJdLCJJIjoiMDE5NWEzYzQtN2IxZS03YzIyLTlkMWEtM2YwYzJiOWU4YTExIn0"}""",
            ["400"] = ValidationProblem,
        }),
        ["GET /api/v1/images/{id}"] = new(null, new Dictionary<string, string> { ["200"] = Image }),
        ["PATCH /api/v1/images/{id}"] = new(
            """{"description": "Virtual firewall, LTS", "tags": ["5g", "lts"], "properties": {"hw_arch": null, "site_class": "far-edge"}, "protected": true}""",
            new Dictionary<string, string> { ["200"] = Image, ["400"] = """{"status": 400, "detail": "name cannot be changed; the fields a PATCH may change are description, tags, properties, protected, visibility, endOfLife, excludeFromLatest.", "errors": {"name": ["…"]}}""" }),
        ["POST /api/v1/images/{id}/deactivate"] = new(null, new Dictionary<string, string> { ["200"] = Image.Replace("\"active\"", "\"deactivated\"", StringComparison.Ordinal) }),
        ["POST /api/v1/images/{id}/reactivate"] = new(null, new Dictionary<string, string> { ["200"] = Image }),
        ["GET /api/v1/images/{id}/locations"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "locations": [{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "vimId": "att_dallas-1", "state": "active", "vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "origin": "created", "error": null, "changedAt": "2026-11-22T18:05:40Z"}, {"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "vimId": "att_austin-2", "state": "failed", "vimImageId": null, "error": "Glance refused to create the image: 403 Forbidden", "changedAt": "2026-11-22T18:05:12Z"}]}""",
        }),
        ["DELETE /api/v1/images/{id}"] = new(null, new Dictionary<string, string>
        {
            ["202"] = Image.Replace("\"active\"", "\"deleting\"", StringComparison.Ordinal),
            ["409"] = Problem,
        }),
        ["DELETE /api/v1/images/{id}/locations/{vimId}"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "vimId": "att_austin-2", "forgottenCopies": ["5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e"]}""",
        }),
        ["PUT /api/v1/images/{id}/file"] = new(null, new Dictionary<string, string> { ["202"] = Image.Replace("\"active\"", "\"validating\"", StringComparison.Ordinal) }),
        ["GET /api/v1/images/{id}/file"] = new(null, new Dictionary<string, string> { ["409"] = """{"status": 409, "detail": "Image 0195a3c4-… is 'validating'; only an active image's bytes are served."}""" }),
        ["HEAD /api/v1/images/{id}/file"] = new(null, new Dictionary<string, string> { ["404"] = """{"status": 404, "detail": "There is no image with id 0195a3c4-…."}""" }),
        ["PATCH /api/v1/images/{id}/file"] = new(null, new Dictionary<string, string> { ["409"] = """{"status": 409, "detail": "Upload-Offset is 0 but 52428800 bytes have been received; continue from 52428800."}""" }),
        ["POST /api/v1/images/{id}/import"] = new(
            """{"method": "web-download", "uri": "https://images.example.net/vfw-2.1.0.qcow2"}""",
            new Dictionary<string, string> { ["400"] = """{"status": 400, "detail": "The host 'evil.example' is not among the hosts imports may come from.", "errors": {"uri": ["…"]}}""" }),
        ["POST /api/v1/certificates"] = new("""{"name": "acme signing 2026", "pem": "-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n"}""", new Dictionary<string, string> { ["201"] = Certificate }),
        ["GET /api/v1/certificates"] = new(null, new Dictionary<string, string> { ["200"] = $$"""{"certificates": [{{Certificate}}]}""" }),
        ["GET /api/v1/certificates/{id}"] = new(null, new Dictionary<string, string> { ["200"] = Certificate }),
        ["POST /api/v1/api-keys"] = new("""{"name": "sdc-production", "tenant": "acme", "roles": ["onboarder"], "expiresAt": "2027-02-20T00:00:00Z"}""",
            new Dictionary<string, string> { ["201"] = ApiKeyCreated }),
        ["GET /api/v1/api-keys"] = new(null, new Dictionary<string, string> { ["200"] = $$"""{"apiKeys": [{{ApiKey}}]}""" }),
        ["GET /api/v1/api-keys/{id}"] = new(null, new Dictionary<string, string> { ["200"] = ApiKey }),
        ["GET /api/v1/audit"] = new(null, new Dictionary<string, string> { ["200"] = """{"records": [{"id": "0195a3d0-0000-7000-8000-000000000009", "at": "2026-11-22T18:10:00Z", "caller": "key:k3x9q0w2m1ab", "tenant": "acme", "action": "image.delete", "method": "DELETE", "path": "/api/v1/images/0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "resourceId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "source": "10.0.0.7", "status": 403, "outcome": "refused"}], "next": null}""" }),
        ["POST /api/v1/subscriptions"] = new(
            """{"url": "https://hooks.acme.example/imagemanager", "events": ["org.onap.imagemanager.distribution.*", "org.onap.imagemanager.image.rejected"], "secret": "a long random secret, 16 to 256 characters", "description": "ACME NOC"}""",
            new Dictionary<string, string> { ["201"] = Subscription, ["400"] = """{"title": "One or more validation errors occurred.", "status": 400, "detail": "url points at 10.0.0.7, a loopback or private address, which webhooks may not reach here (Webhooks:AllowPrivateAddresses).", "errors": {"url": ["url points at 10.0.0.7, a loopback or private address, which webhooks may not reach here (Webhooks:AllowPrivateAddresses)."]}}""" }),
        ["GET /api/v1/subscriptions"] = new(null, new Dictionary<string, string> { ["200"] = $$"""{"subscriptions": [{{Subscription}}], "next": null}""" }),
        ["GET /api/v1/subscriptions/{id}"] = new(null, new Dictionary<string, string> { ["200"] = Subscription }),
        ["PATCH /api/v1/subscriptions/{id}"] = new("""{"events": ["org.onap.imagemanager.distribution.completed"]}""", new Dictionary<string, string> { ["200"] = Subscription }),
        ["DELETE /api/v1/subscriptions/{id}"] = new(null, new Dictionary<string, string> { ["404"] = """{"title": "Subscription not found", "status": 404, "detail": "There is no subscription 0195a3e0-0000-7000-8000-000000000005 that you can see."}""" }),
        ["POST /api/v1/subscriptions/{id}/resume"] = new(null, new Dictionary<string, string> { ["200"] = Subscription }),
        ["GET /api/v1/subscriptions/{id}/deliveries"] = new(null, new Dictionary<string, string> { ["200"] = $$"""{"deliveries": [{{Delivery}}], "next": null}""" }),
        ["GET /api/v1/events/{topic}/{consumerGroup}/{consumerId}"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """["{\"id\":\"0195a3d1-0000-7000-8000-00000000000a\",\"source\":\"/imagemanager/images\",\"type\":\"org.onap.imagemanager.image.validated\",\"subject\":\"0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11\",\"time\":\"2026-11-22T18:02:00Z\",\"tenant\":\"acme\",\"data\":{\"imageId\":\"0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11\"},\"specversion\":\"1.0\",\"datacontenttype\":\"application/json\"}"]""",
            ["404"] = """{"title": "No such topic", "status": 404, "detail": "There is no topic 'IMAGES'; the topics are IMAGE-LIFECYCLE, IMAGE-DISTRIBUTION."}""",
        }),
        ["DELETE /api/v1/api-keys/{id}"] = new(null, new Dictionary<string, string> { ["404"] = """{"title": "API key not found", "status": 404, "detail": "There is no API key with id 'k3x9q0w2m1ab'."}""" }),
        ["POST /api/v1/vims"] = new("""{"id": "att_dallas-1", "type": "openstack", "endpoint": "https://glance.dallas-1.example.net:9292/", "identityUrl": "https://keystone.dallas-1.example.net:5000/v3/", "region": "us-south", "tags": ["edge", "5g"], "credentials": {"applicationCredentialId": "6f1c…", "applicationCredentialSecret": "…"}, "limits": {"maxConcurrentUploads": 4}}""", new Dictionary<string, string> { ["201"] = Vim }),
        ["PUT /api/v1/vims"] = new("""{"vims": [{"id": "att_dallas-1", "type": "openstack", "endpoint": "https://glance.dallas-1.example.net:9292/", "region": "us-south", "tags": ["edge"]}, {"id": "att_dallas-2", "type": "openstack", "endpoint": "https://glance.dallas-2.example.net:9292/", "identityUrl": "https://keystone.dallas-2.example.net:5000/v3", "credentials": {"username": "imagemanager", "password": "…", "projectName": "images"}}]}""",
            new Dictionary<string, string>
            {
                ["200"] = """{"created": 1, "updated": 0, "unchanged": 1}""",
                ["400"] = """{"status": 400, "detail": "vims[17].endpoint: endpoint is required: an absolute http or https URL.", "errors": {"vims[17].endpoint": ["endpoint is required: an absolute http or https URL."]}}""",
            }),
        ["POST /api/v1/vims/imports/aai"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"source": "https://aai.onap:8443/aai/v32/cloud-infrastructure/cloud-regions", "regions": 3, "created": 1, "updated": 0, "unchanged": 1, "skipped": [{"vimId": "att_k8s-1", "reason": "its esr-system-info type is 'kubernetes': only OpenStack clouds (openstack, titanium_cloud, starlingx, windriver, vio) are imported."}], "vanished": ["att_austin-3"], "startedAt": "2026-11-22T18:00:00Z", "finishedAt": "2026-11-22T18:00:02Z"}""",
            ["502"] = """{"status": 502, "detail": "A&AI at https://aai.onap:8443/aai/v32/cloud-infrastructure/cloud-regions refused Image Manager's credentials (401); check Aai:Username and Aai:Password. Nothing was imported."}""",
        }),
        ["PATCH /api/v1/vims/{id}"] = new("""{"limits": {"bandwidthBytesPerSecond": 52428800}, "tags": ["edge", "5g", "canary"]}""", new Dictionary<string, string> { ["200"] = Vim }),
        ["GET /api/v1/hubs"] = new(null, new Dictionary<string, string> { ["200"] = $$"""{"hubs": [{{Hub}}]}""" }),
        ["GET /api/v1/hubs/{id}"] = new(null, new Dictionary<string, string> { ["200"] = Hub, ["404"] = """{"status": 404, "title": "Hub not found", "detail": "There is no hub with id 'us-south-hub'."}""" }),
        ["PUT /api/v1/hubs/{id}"] = new("""{"baseUrl": "https://hub.us-south.example.net:8443/", "regions": ["us-south", "us-south-2"]}""",
            new Dictionary<string, string> { ["201"] = Hub, ["409"] = """{"status": 409, "title": "Region served", "detail": "regions: region 'us-south' is served by hub 'dallas-hub'; a region has one hub at most."}""" }),
        ["DELETE /api/v1/hubs/{id}"] = new(null, new Dictionary<string, string> { ["404"] = """{"status": 404, "title": "Hub not found", "detail": "There is no hub with id 'us-south-hub'."}""" }),
        ["GET /api/v1/images/{id}/file/link"] = new(null, new Dictionary<string, string> { ["401"] = """{"status": 401, "title": "Link refused", "detail": "The download link is missing, expired or altered (its 'expires' and 'signature' are checked)."}""" }),
        ["DELETE /api/v1/vims/{id}"] = new(null, new Dictionary<string, string> { ["409"] = """{"status": 409, "detail": "VIM 'att_dallas-1' is a target of 3 unfinished distribution target(s); cancel them or wait for them to finish."}""" }),
        ["POST /api/v1/vims/{id}/probe"] = new(null, new Dictionary<string, string> { ["200"] = """{"state": "healthy", "consecutiveFailures": 0, "circuitOpenUntil": null, "lastProbeAt": "2026-11-22T18:00:00Z", "lastError": null, "reason": null, "lastAnsweredAt": "2026-11-22T18:00:00Z"}""" }),
        ["GET /api/v1/vims"] = new(null, new Dictionary<string, string> { ["200"] = $$"""{"vims": [{{Vim}}], "next": null}""" }),
        ["GET /api/v1/vims/{id}"] = new(null, new Dictionary<string, string> { ["200"] = Vim }),
        ["GET /api/v1/vims/{id}/images"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"vimId": "att_dallas-1", "images": [{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "kind": "vm-image", "name": "vfw", "version": "2.1.0", "imageStatus": "active", "state": "active", "vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "error": null, "changedAt": "2026-11-22T18:05:40Z"}], "next": null}""",
        }),
        ["POST /api/v1/distributions"] = new(
            """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "vimIds": ["att_dallas-1"], "selector": {"region": "us-south", "tags": ["edge"]}, "strategy": {"maxParallel": 200, "canarySize": 5, "maxFailures": 10, "deadline": "2026-11-23T06:00:00Z"}}""",
            new Dictionary<string, string>
            {
                ["202"] = """{"id": "0195a3c5-0000-7000-8000-000000000001", "distributionId": "0195a3c5-0000-7000-8000-000000000001", "leftOut": {"count": 1, "byVimType": {"oci-registry": 1}, "detail": "Not targets, though the selector chose them: 1 VIM(s) of type 'oci-registry': A VIM of type 'oci-registry' does not take a vm-image; it takes container images and Helm charts (software packages of type helm-chart)."}, "estimate": {"durationSeconds": 1468.0, "lastTargetStartSeconds": 734.0, "finishesBy": "2026-11-22T18:28:28Z", "deadlineMet": true, "basis": "734003200 bytes to 2 VIM(s), 2 of them capped; 1 at once; uplink budget 1000000 B/s", "warning": null}}""",
                ["422"] = """{"title": "Deadline cannot be met", "status": 422, "detail": "strategy.deadline cannot be met: By the estimate the last target starts at 2026-11-23T07:12:00.0000000+00:00, after the deadline 2026-11-23T06:00:00.0000000+00:00: targets not started by then will be cancelled. Estimate: 734003200 bytes to 10000 VIM(s), 10000 of them capped; 200 at once; uplink budget none. Set a later deadline, fewer targets or more parallelism, or send strategy.allowUnmetDeadline: true to start anyway.", "errors": {"strategy.deadline": ["strategy.deadline cannot be met: ..."]}}""",
                ["400"] = """{"title": "One or more validation errors occurred.", "status": 400, "detail": "VIM 'att_dallas-1': A VIM of type 'openstack' does not take a container-image; it takes VM images.", "errors": {"vimIds": ["VIM 'att_dallas-1': A VIM of type 'openstack' does not take a container-image; it takes VM images."]}}""",
                ["409"] = """{"title": "Image past its end of life", "status": 409, "detail": "Image vfw 2.1.0 reached its end of life on 2020-06-30; an operator may distribute it anyway with force: true."}""",
            }),
        ["GET /api/v1/distributions/{id}"] = new(null, new Dictionary<string, string> { ["200"] = Distribution }),
        ["POST /api/v1/distributions/{id}/cancel"] = new(null, new Dictionary<string, string>
        {
            ["202"] = """{"distributionId": "0195a3c5-0000-7000-8000-000000000001", "cancelledTargets": 9412}""",
            ["409"] = """{"status": 409, "detail": "Distribution 0195a3c5-… has completed (succeeded); there is nothing left to cancel."}""",
        }),
        ["GET /api/v1/vims/{id}/copies"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"vimId": "att_dallas-1", "copies": [{"vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "createdByImageManager": true, "createdForImageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "state": "present", "lastError": null, "reliedOnBy": [{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "origin": "created"}, {"imageId": "0195a3c8-1111-7000-8000-000000000004", "origin": "found"}], "createdAt": "2026-11-22T18:05:01Z", "updatedAt": "2026-11-22T18:05:40Z"}, {"vimImageId": "7a0c1e2d-0000-4000-8000-0000000000aa", "createdByImageManager": false, "createdForImageId": null, "state": "present", "lastError": null, "reliedOnBy": [{"imageId": "0195a3c9-2222-7000-8000-000000000005", "origin": "found"}], "createdAt": "2026-11-22T18:06:00Z", "updatedAt": "2026-11-22T18:06:00Z"}], "next": null}""",
        }),
        ["POST /api/v1/removals"] = new(
            """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "vimIds": ["att_austin-2"], "selector": {"region": "us-south"}}""",
            new Dictionary<string, string>
            {
                ["202"] = """{"removalId": "0195a3c7-0000-7000-8000-000000000003"}""",
                ["400"] = """{"status": 400, "detail": "Name the VIMs to remove the image from in vimIds, or choose them with a selector (all, region, tags).", "errors": {"vimIds": ["Name the VIMs to remove the image from in vimIds, or choose them with a selector (all, region, tags)."]}}""",
            }),
        ["POST /api/v1/recalls"] = new(
            """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "action": "replace", "successorImageId": "0195a3c8-1111-7000-8000-000000000004", "reason": {"kind": "cve", "cveId": "CVE-2024-3094", "text": "xz backdoor"}, "selector": {"region": "us-south"}}""",
            new Dictionary<string, string>
            {
                ["202"] = """{"recallId": "0195a3ca-0000-7000-8000-000000000010", "targetCount": 812, "successorPresentCount": 40}""",
                ["200"] = """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "action": "replace", "successorImageId": "0195a3c8-1111-7000-8000-000000000004", "vimIds": ["att_austin-2", "att_dallas-1"], "tenants": ["acme", null], "successorPresentVimIds": ["att_dallas-1"]}""",
                ["400"] = """{"status": 400, "detail": "reason.cveId names the vulnerability as CVE-<year>-<number> (e.g. CVE-2024-3094).", "errors": {"reason.cveId": ["reason.cveId names the vulnerability as CVE-<year>-<number> (e.g. CVE-2024-3094)."]}}""",
                ["409"] = """{"status": 409, "title": "Nothing to recall", "detail": "Image Manager records no copy of image 0195a3c4-… on the chosen VIMs; there is nothing to recall."}""",
            }),
        ["GET /api/v1/recalls"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"recalls": [{"id": "0195a3ca-0000-7000-8000-000000000010", "imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "action": "replace", "reasonKind": "cve", "successorImageId": "0195a3c8-1111-7000-8000-000000000004", "state": "distributing", "outcome": null, "targetCount": 812, "requestedAt": "2026-11-22T19:00:00Z", "completedAt": null}], "next": null}""",
        }),
        ["GET /api/v1/recalls/{id}"] = new(null, new Dictionary<string, string>
        {
            ["200"] = $$"""{"id": "0195a3ca-0000-7000-8000-000000000010", "imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "action": "replace", "reason": {"kind": "cve", "cveId": "CVE-2024-3094", "text": "xz backdoor"}, "successorImageId": "0195a3c8-1111-7000-8000-000000000004", "retryOf": null, "removalIds": ["0195a3ca-0000-7000-8000-000000000011"], "successorDistributionIds": ["0195a3ca-0000-7000-8000-000000000012"], "progress": {{Distribution}}}""",
        }),
        ["GET /api/v1/recalls/{id}/targets"] = new(null, new Dictionary<string, string>
        {
            ["200"] = $$"""{"distributionId": "0195a3ca-0000-7000-8000-000000000010", "targets": [{{Target}}], "next": null}""",
        }),
        ["GET /api/v1/recalls/{id}/events"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """
                retry: 2000

                id: 1795370641000000
                event: target
                data: {"vimId": "att_austin-2", "state": "removing", "attempt": 0, "error": null, "bytesSent": 0, "progress": 0, "etaSeconds": null, "vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "updatedAt": "2026-11-22T19:00:09Z"}

                """,
        }, SuccessContentType: "text/event-stream"),
        ["POST /api/v1/recalls/{id}/retry"] = new(null, new Dictionary<string, string>
        {
            ["202"] = """{"recallId": "0195a3cb-0000-7000-8000-000000000013", "retryOf": "0195a3ca-0000-7000-8000-000000000010", "targetCount": 3}""",
            ["409"] = """{"status": 409, "detail": "Recall 0195a3ca-… has no failed targets (yet); retry re-runs only failed ones."}""",
        }),
        ["POST /api/v1/distributions/{id}/retry"] = new(null, new Dictionary<string, string>
        {
            ["202"] = """{"distributionId": "0195a3c6-0000-7000-8000-000000000002", "retryOf": "0195a3c5-0000-7000-8000-000000000001", "targetCount": 12}""",
            ["409"] = """{"status": 409, "detail": "Distribution 0195a3c5-… has no failed targets (yet); retry re-runs only failed ones."}""",
        }),
        ["GET /api/v1/distributions/{id}/events"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """
                retry: 2000

                id: 1795370641000000
                event: target
                data: {"vimId": "att_dallas-1", "state": "uploading", "attempt": 1, "error": null, "bytesSent": 0, "progress": 0, "etaSeconds": null, "vimImageId": null, "updatedAt": "2026-11-22T18:04:01Z"}

                id: 1795370642000000
                event: progress
                data: {"state": "distributing", "targetCount": 2, "counts": {"pending": 1, "uploading": 1, "verifying": 0, "active": 0, "failed": 0, "skipped": 0, "cancelled": 0, "removing": 0, "removed": 0, "drifted": 0}, "bytesSent": 0, "progress": 0, "etaSeconds": null}

                : heartbeat

                id: 1795370740000000
                event: target
                data: {"vimId": "att_dallas-1", "state": "active", "attempt": 1, "error": null, "bytesSent": 734003200, "progress": 1.0, "etaSeconds": 0, "vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "updatedAt": "2026-11-22T18:05:40Z"}

                id: completed
                event: completed
                data: {"outcome": "succeeded", "targetCount": 2, "counts": {"pending": 0, "uploading": 0, "verifying": 0, "active": 2, "failed": 0, "skipped": 0, "cancelled": 0, "removing": 0, "removed": 0, "drifted": 0}, "completedAt": "2026-11-22T18:05:41Z"}

                """,
            ["400"] = """{"status": 400, "detail": "Last-Event-ID is the id of an event of this stream (a number, or 'completed'); got 'x'.", "errors": {"Last-Event-ID": ["…"]}}""",
        }, SuccessContentType: "text/event-stream"),
        ["GET /api/v1/distributions/{id}/targets"] = new(null, new Dictionary<string, string>
        {
            ["200"] = $$"""{"distributionId": "0195a3c5-0000-7000-8000-000000000001", "targets": [{{Target}}], "next": "att_dallas-1"}""",
        }),
        ["GET /api/v1/distributions/{id}/targets/{vimId}/receipt"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"receipt": "eyJhbGciOiJFUzI1NiIsImtpZCI6Ik5yNG5yX2ZfV2ciLCJ0eXAiOiJpbWFnZS1tYW5hZ2VyLXJlY2VpcHQrand0In0.eyJqdGkiOiIwMTk1YTNjNS0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDEvYXR0X2RhbGxhcy0xIn0.c2lnbmF0dXJl", "keyId": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "distributionId": "0195a3c5-0000-7000-8000-000000000001", "imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "sha512": "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043", "vimId": "att_dallas-1", "vimImageId": "5e8f2d0c-9a41-5b7e-8c2d-1f3a4b5c6d7e", "targetState": "active", "activeAt": "2026-11-22T18:05:40Z", "issuedAt": "2026-12-07T09:00:00Z"}""",
            ["409"] = """{"status": 409, "detail": "The target on VIM 'att_dallas-1' of distribution 0195a3c5-0000-7000-8000-000000000001 is 'failed': a receipt is given only for a target of a distribution that is active (or skipped: the same bytes were already there), for as long as it is."}""",
        }),
        ["GET /api/v1/receipts/keys"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"keys": [{"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "kid": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "use": "sig", "alg": "ES256", "createdAt": "2026-12-01T00:00:00Z", "retiredAt": null}]}""",
        }),
        ["GET /api/v1/distributions"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"distributions": [{"id": "0195a3c5-0000-7000-8000-000000000001", "imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "state": "completed", "outcome": "succeeded", "targetCount": 2, "requestedAt": "2026-11-22T18:04:00Z", "completedAt": "2026-11-22T18:05:40Z", "kind": "distribution", "imageName": "vfw", "imageVersion": "2.1.0"}], "next": null}""",
        }),
        ["GET /api/v1/images/counts"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"total": 1250, "byStatus": {"queued": 2, "validating": 1, "active": 1201, "rejected": 40, "deactivated": 6}, "failedLocations": 19, "driftedLocations": 3}""",
        }),
        ["GET /api/v1/fleet/vims"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"count": 1000, "byHealth": {"healthy": 978, "unhealthy": 12, "unknown": 10}, "regions": [{"region": "us-south", "vims": 600, "healthy": 590, "unhealthy": 6, "unknown": 4}, {"region": "us-west", "vims": 400, "healthy": 388, "unhealthy": 6, "unknown": 6}]}""",
            ["400"] = ValidationProblem,
        }),
        ["GET /api/v1/fleet/activity"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"distributionsRunning": 3, "distributionsFailed": 1, "distributionsPartiallyFailed": 4, "distributionsSucceeded": 212}""",
        }),
        ["GET /api/v1/fleet/images/{imageId}"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "name": "vfw", "version": "2.1.0", "regions": [{"region": "us-south", "vims": 600, "present": 570, "inProgress": 10, "failed": 5, "drifted": 1, "missing": 14}]}""",
        }),
        ["GET /api/v1/fleet/images/{imageId}/sites"] = new(null, new Dictionary<string, string>
        {
            ["200"] = """{"imageId": "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11", "region": "us-south", "sites": [{"vimId": "att_dallas-1", "region": "us-south", "health": "healthy", "presence": "present", "targetState": "active", "error": null, "changedAt": "2026-11-22T18:05:40Z"}], "next": "att_dallas-1"}""",
            ["400"] = ValidationProblem,
        }),
    };
}
