using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// One rank's connection to its node's agent: a Unix domain socket carrying <see cref="RankLink.Message"/>s as
/// length-prefixed JSON. Sends are thread-safe; one thread receives.
/// </summary>
internal sealed class RankLinkConnection(Socket socket) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private const int MaxFrame = 64 << 20; // a start order's data plan is the largest message (kilobytes)

    private readonly NetworkStream stream = new(socket, ownsSocket: true);

    /// <summary>The other end, for messages: its address.</summary>
    public string Peer { get; } = socket.RemoteEndPoint?.ToString() ?? "a node-local socket";
    private readonly Lock sending = new();

    /// <summary>Connects to the agent listening on <paramref name="address"/>, retrying until <paramref name="deadline"/> (its host may still be starting).</summary>
    public static async Task<RankLinkConnection> ConnectAsync(NodeAgentAddress address, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(address.EndPoint, cancellationToken);
                return new RankLinkConnection(socket);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.TryAgain)
            {
                socket.Dispose();
                if (DateTimeOffset.UtcNow > deadline)
                    throw new TimeoutException($"no node agent listens on {address} (the rank process hosting this node's agent did not start)", e);
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>Sends a message; false when the other end is gone.</summary>
    public bool Send(RankLink.Message message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        try
        {
            lock (sending)
            {
                stream.Write(header);
                stream.Write(body);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            return false;
        }
    }

    /// <summary>The next message, or null when the other end closed the connection or died.</summary>
    public RankLink.Message? Receive()
    {
        try
        {
            Span<byte> header = stackalloc byte[4];
            stream.ReadExactly(header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length is <= 0 or > MaxFrame) throw new InvalidDataException($"rank link: a frame of {length} bytes");
            var body = new byte[length];
            stream.ReadExactly(body);
            return JsonSerializer.Deserialize<RankLink.Message>(body, Json) ?? throw new InvalidDataException("rank link: an empty message");
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ObjectDisposedException or SocketException)
        {
            return null;
        }
    }

    public void Dispose() => stream.Dispose();
}
