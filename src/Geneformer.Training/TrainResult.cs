using System.Diagnostics;
using Geneformer.Data.Loading;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Evaluation;
using Geneformer.Training.Learning;
using Geneformer.Training.Metrics;
using Geneformer.Training.Optim;
using Geneformer.Training.Parallel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Geneformer.Training;

public sealed record TrainResult(int ExitCode, long Step, double? LastLoss, double? LastValidationLoss, string? StopReason);
