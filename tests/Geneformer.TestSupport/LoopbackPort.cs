using System.Net;
using System.Net.Sockets;

namespace Geneformer.TestSupport;

/// <summary>A TCP port on loopback that was free a moment ago.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
