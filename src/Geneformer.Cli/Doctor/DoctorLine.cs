namespace Geneformer.Cli.Doctor;

/// <summary>One fact about this machine and build.</summary>
public sealed record DoctorLine(string Name, string Value);
