namespace ImageManager.Api.Access;

/// <summary>The Catalog, which keeps the keys, did not answer: the caller is neither known nor refused, so the answer is 503.</summary>
public sealed class KeysUnavailableException(Exception inner)
    : Exception("API keys cannot be checked now: the catalogue service does not answer. Try again shortly.", inner);
