using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Geneformer.Distributed.Cluster;

namespace Geneformer.Distributed.Tests.Cluster;

/// <summary>Raw TLS connections to a cluster port, outside Akka: what the port presents and whether it keeps a connection.</summary>
internal static class TlsProbe
{
    /// <summary>Handshakes as a client presenting <paramref name="clientCertificate"/> (or none) and returns the certificate the server presented.</summary>
    public static async Task<X509Certificate2> ServerCertificateAsync(SeedNode port, X509Certificate2? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(port.Host, port.Port);
        await using var tls = await HandshakeAsync(tcp, clientCertificate);
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }

    /// <summary>
    /// True when the server ends a connection that presents <paramref name="clientCertificate"/> (or none) within
    /// <paramref name="wait"/>: the handshake fails, or the connection closes right after it (TLS 1.3 checks the client's
    /// certificate after the client's side of the handshake is done). False when the connection stays open.
    /// </summary>
    public static async Task<bool> IsRefusedAsync(SeedNode port, X509Certificate2? clientCertificate, TimeSpan wait)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(port.Host, port.Port);
        try
        {
            await using var tls = await HandshakeAsync(tcp, clientCertificate).WaitAsync(wait);
            return await tls.ReadAsync(new byte[1]).AsTask().WaitAsync(wait) == 0;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task<SslStream> HandshakeAsync(TcpClient tcp, X509Certificate2? clientCertificate)
    {
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "geneformer-cluster",
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        return tls;
    }
}
