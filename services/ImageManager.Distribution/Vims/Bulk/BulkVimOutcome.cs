using ImageManager.Contracts.Vims;
namespace ImageManager.Distribution.Vims.Bulk;

/// <summary>
/// The end of a bulk upsert: what it did (<see cref="Result"/>), or, when it wrote nothing because an entry could not be
/// applied to the registry as it is (a VIM's type cannot change), each such entry's field (<c>vims[17].type</c>) and why.
/// <see cref="Reached"/> names the VIMs registered or now reached differently (endpoint, Keystone, credentials, TLS):
/// those whose health is to be found anew.
/// </summary>
public sealed record BulkVimOutcome(BulkVimResult? Result, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<string> Reached);
