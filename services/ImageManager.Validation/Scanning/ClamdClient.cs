using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Scanning;

/// <summary>
/// Sends bytes to clamd with its INSTREAM command (<c>zINSTREAM\0</c>, then chunks each preceded by its length as 4 bytes
/// big-endian, a zero length ends the stream; the answer is <c>stream: OK</c>, <c>stream: NAME FOUND</c> or <c>... ERROR</c>,
/// ended by <c>\0</c>). Written here because the package source holds no maintained .NET clamd client (nClam is not in
/// it) and the protocol is this small. The bytes are streamed in chunks, never held whole; an image larger than
/// <see cref="ScanningOptions.WindowBytes"/> goes in overlapping windows, one session each.
/// </summary>
public sealed class ClamdClient(IOptions<ScanningOptions> options)
{
    const int ChunkBytes = 256 * 1024;
    const int AnswerLimit = 4096;
    const int ShownAnswerLength = 200;

    public async Task<ClamdAnswer> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var endPoint = ClamdEndPoint(settings);
        var buffer = ArrayPool<byte>.Shared.Rent(4 + ChunkBytes);
        var seam = new byte[4 + settings.WindowOverlapBytes];
        var seamLength = 0;
        try
        {
            while (true)
            {
                var window = await ScanWindowAsync(endPoint, content, buffer, seam, seamLength, settings, cancellationToken);
                if (window.Answer.Found || window.Ended)
                {
                    return window.Answer;
                }

                seamLength = window.SeamLength;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether clamd runs on this machine (a unix socket, or a loopback address), so that it can be asked to read a blob's
    /// file itself.
    /// </summary>
    public bool ClamdIsLocal => ClamdAddress.TryParse(options.Value.Clamd, out var endPoint) && endPoint switch
    {
        UnixDomainSocketEndPoint => true,
        IPEndPoint ip => IPAddress.IsLoopback(ip.Address),
        DnsEndPoint dns => dns.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>
    /// Asks clamd to read and scan the file at <paramref name="path"/> (<c>zSCAN</c>); null when clamd answers that it
    /// could not (it cannot open the file, say), for the caller to stream the bytes instead.
    /// </summary>
    public async Task<ClamdAnswer?> TryScanFileAsync(string path, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var endPoint = ClamdEndPoint(settings);
        using var socket = await ConnectAsync(endPoint, settings.ConnectTimeout, cancellationToken);
        await using var clamd = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await clamd.WriteAsync(Encoding.UTF8.GetBytes($"zSCAN {path}\0"), cancellationToken);
        }
        catch (IOException broken)
        {
            throw new ClamdUnavailableException($"clamd at {settings.Clamd} broke off: {broken.Message}", broken);
        }

        var answer = await TryReadAnswerAsync(clamd, settings.ReplyTimeout, cancellationToken)
            ?? throw new ClamdUnavailableException($"clamd at {settings.Clamd} gave no answer within {settings.ReplyTimeout}.");
        return answer.EndsWith(" ERROR", StringComparison.Ordinal) ? null : Parse(answer, settings.Clamd!);
    }

    static EndPoint ClamdEndPoint(ScanningOptions settings) => ClamdAddress.TryParse(settings.Clamd, out var endPoint)
        ? endPoint
        : throw new ClamdUnavailableException($"{ScanningOptions.Section}:Clamd is not a clamd address (got '{settings.Clamd}').");

    /// <summary>One INSTREAM session: the previous window's last bytes (the seam), then new bytes up to the window's size.</summary>
    async Task<(ClamdAnswer Answer, bool Ended, int SeamLength)> ScanWindowAsync(
        EndPoint endPoint, Stream content, byte[] buffer, byte[] seam, int seamLength, ScanningOptions settings, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(endPoint, settings.ConnectTimeout, cancellationToken);
        await using var clamd = new NetworkStream(socket, ownsSocket: false);
        var ended = false;
        var newSeamLength = 0;
        try
        {
            await clamd.WriteAsync("zINSTREAM\0"u8.ToArray(), cancellationToken);
            if (seamLength > 0)
            {
                await SendChunkAsync(clamd, seam, seamLength, cancellationToken);
            }

            // The window's new bytes: all but its last WindowOverlapBytes straight through, those last ones kept as the next seam.
            var before = settings.WindowBytes - seamLength - settings.WindowOverlapBytes;
            while (before > 0 && !ended)
            {
                var read = await content.ReadAsync(buffer.AsMemory(4, (int)Math.Min(ChunkBytes, before)), cancellationToken);
                ended = read == 0;
                before -= read;
                if (read > 0)
                {
                    await SendChunkAsync(clamd, buffer, read, cancellationToken);
                }
            }

            if (!ended && settings.WindowOverlapBytes > 0)
            {
                newSeamLength = await content.ReadAtLeastAsync(seam.AsMemory(4, settings.WindowOverlapBytes), settings.WindowOverlapBytes, throwOnEndOfStream: false, cancellationToken);
                ended = newSeamLength < settings.WindowOverlapBytes;
                if (newSeamLength > 0)
                {
                    await SendChunkAsync(clamd, seam, newSeamLength, cancellationToken);
                }
            }

            await clamd.WriteAsync(new byte[4], cancellationToken);
        }
        catch (IOException broken)
        {
            // clamd closes a stream longer than its StreamMaxLength after saying so: its answer is the better reason.
            var said = await TryReadAnswerAsync(clamd, TimeSpan.FromSeconds(2), cancellationToken);
            throw new ClamdUnavailableException(
                $"clamd at {settings.Clamd} broke off the stream{(said is null ? "" : $" saying '{OutsideText.Sanitise(said, ShownAnswerLength)}'")}: {broken.Message}", broken);
        }

        var answer = await TryReadAnswerAsync(clamd, settings.ReplyTimeout, cancellationToken)
            ?? throw new ClamdUnavailableException($"clamd at {settings.Clamd} gave no answer within {settings.ReplyTimeout}.");
        return (Parse(answer, settings.Clamd!), ended, newSeamLength);
    }

    /// <summary>Sends <paramref name="length"/> bytes that sit at offset 4 of <paramref name="chunk"/>, after their length.</summary>
    static async Task SendChunkAsync(NetworkStream clamd, byte[] chunk, int length, CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)length);
        await clamd.WriteAsync(chunk.AsMemory(0, 4 + length), cancellationToken);
    }

    static async Task<Socket> ConnectAsync(EndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            socket.NoDelay = endPoint is not UnixDomainSocketEndPoint;
            return socket;
        }
        catch (Exception failure) when (failure is SocketException or IOException || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            throw new ClamdUnavailableException($"clamd at {endPoint} cannot be reached: {failure.Message}", failure);
        }
    }

    /// <summary>clamd's answer up to its closing <c>\0</c> (or the connection's end); null when none came in time.</summary>
    static async Task<string?> TryReadAnswerAsync(NetworkStream clamd, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var answer = new byte[AnswerLimit];
        var length = 0;
        try
        {
            while (length < AnswerLimit)
            {
                var read = await clamd.ReadAsync(answer.AsMemory(length), deadline.Token);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (Array.IndexOf(answer, (byte)0, length - read, read) >= 0)
                {
                    break;
                }
            }
        }
        catch (Exception failure) when (failure is IOException || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Nothing (more) to read: what came is the answer, if anything came.
        }

        return length == 0 ? null : Encoding.UTF8.GetString(answer, 0, length).TrimEnd('\0', '\n', ' ');
    }

    static ClamdAnswer Parse(string answer, string clamdAddress)
    {
        const string Found = " FOUND";
        if (answer.EndsWith(Found, StringComparison.Ordinal) && answer.IndexOf(": ", StringComparison.Ordinal) is var colon and >= 0)
        {
            return new ClamdAnswer(answer[(colon + 2)..^Found.Length]);
        }

        return answer.EndsWith(": OK", StringComparison.Ordinal)
            ? ClamdAnswer.Clean
            : throw new ClamdUnavailableException($"clamd at {clamdAddress} could not scan: '{OutsideText.Sanitise(answer, ShownAnswerLength)}'.");
    }
}
