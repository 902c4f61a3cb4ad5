namespace ImageManager.Api.Images;

/// <summary>Answer of <c>POST /api/v1/images/{id}/import</c> (202): the import is queued; the image moves to <c>validating</c> once its bytes are in.</summary>
public sealed record ImportAcceptedResource(Guid Id, string Method, Uri Uri, string Status);
