using ImageManager.Distribution.Vims;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// A VIM ready to be spoken to: its registration, its credentials in the clear (for this call only, never logged), and
/// an <see cref="HttpClient"/> that applies the VIM's TLS settings.
/// </summary>
public sealed record VimConnection(Vim Vim, VimCredentials? Credentials, HttpClient Http);
