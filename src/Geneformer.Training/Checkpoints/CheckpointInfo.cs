using System.Globalization;
using System.Text.RegularExpressions;
using Geneformer.Data.IO;

namespace Geneformer.Training.Checkpoints;

public sealed record CheckpointInfo(long Step, string Path, IReadOnlyList<string> Problems, double? ValidationLoss)
{
    public bool Verified => Problems.Count == 0;
}
