using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Geneformer.Distributed.Tests.Cluster;

/// <summary>
/// A self-signed certificate with its key, written to a password-protected .pfx, and the <c>tls.*</c> overrides that make a
/// member use it. The password sits in an environment variable of its own, as a user would export it.
/// </summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string passwordEnv = $"GENEFORMER_TEST_CERT_PASSWORD_{Guid.NewGuid():N}";

    public X509Certificate2 Certificate { get; }
    public string PfxPath { get; }

    public TestCertificate(string pfxPath, string subject = "CN=geneformer-cluster")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        File.WriteAllBytes(pfxPath, made.Export(X509ContentType.Pfx, password));
        Environment.SetEnvironmentVariable(passwordEnv, password);
        PfxPath = pfxPath;
        Certificate = X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password);
    }

    public Dictionary<string, string?> Overrides => new()
    {
        ["tls:enabled"] = "true",
        ["tls:certificate_path"] = PfxPath,
        ["tls:certificate_password_env"] = passwordEnv,
    };

    /// <summary><see cref="Overrides"/> and more keys.</summary>
    public Dictionary<string, string?> With(params (string Key, string Value)[] more)
    {
        var all = Overrides;
        foreach (var (key, value) in more) all[key] = value;
        return all;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(passwordEnv, null);
        Certificate.Dispose();
    }
}
