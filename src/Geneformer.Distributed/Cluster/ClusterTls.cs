using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// TLS of the cluster transport: this member's certificate, mutual authentication (each side of a connection presents
/// its certificate), and which peer certificates are accepted, on both sides.
/// </summary>
public static class ClusterTls
{
    /// <summary>Akka.Remote's TLS options; Akka.Hosting turns them into a <see cref="DotNettySslSetup"/>, which overrides akka.remote.dot-netty.tcp.ssl.</summary>
    public static SslOptions Options(ClusterSettings.TlsSection tls)
    {
        var certificate = LoadCertificate(tls);
        return new SslOptions
        {
            X509Certificate = certificate,
            SuppressValidation = tls.SuppressValidation,
            RequireMutualAuthentication = true,
            // Akka.Remote uses this callback instead of its suppress-validation logic, on the client and the server side.
            CustomValidator = PeerValidator(tls, certificate),
        };
    }

    public static X509Certificate2 LoadCertificate(ClusterSettings.TlsSection tls)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, Environment.GetEnvironmentVariable(tls.CertificatePasswordEnv));
            if (!certificate.HasPrivateKey) throw new CryptographicException("it holds no private key");
            return certificate;
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"tls.certificate_path: cannot use {tls.CertificatePath} with the password in ${tls.CertificatePasswordEnv}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Accepts a peer's certificate only if it is this member's own (pin_certificate; the shared certificate of the cluster)
    /// and, unless suppress_validation, if it chains to a trusted CA. Host names are not checked.
    /// </summary>
    public static CertificateValidationCallback PeerValidator(ClusterSettings.TlsSection tls, X509Certificate2 own)
    {
        var checks = new List<CertificateValidationCallback>();
        if (!tls.SuppressValidation) checks.Add(CertificateValidation.ValidateChain());
        if (tls.PinCertificate) checks.Add(CertificateValidation.PinnedCertificate(own.Thumbprint));
        if (checks.Count == 0) throw new InvalidDataException("tls: pin_certificate off with suppress_validation on would accept any certificate");
        return CertificateValidation.Combine([.. checks]);
    }
}
