namespace Geneformer.Training;

/// <summary>One rank's throughput over a step: its own real tokens per second, TFLOPS, and MFU against peak_tflops.</summary>
public sealed record RankThroughput(double TokensPerSecond, double Tflops, double Mfu);
