namespace Geneformer.Bench;

/// <summary>What one child process did: exit code, peak resident memory, wall time, and its output (for error messages).</summary>
public sealed record ProbedRun(int ExitCode, long PeakResidentBytes, double Seconds, string Output);
