using System.Reflection;
using System.Runtime.InteropServices;
using Geneformer.Distributed.Collectives;
using Geneformer.Distributed.Collectives.Nccl;
using Geneformer.Model;
using Geneformer.Model.Native;
using TorchSharp;

namespace Geneformer.Cli.Doctor;

/// <summary>One fact about this machine and build.</summary>
public sealed record DoctorLine(string Name, string Value);
