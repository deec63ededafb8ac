using System.Collections;
using System.IO.Compression;
using System.Text;
using Razorvine.Pickle;
using static TorchSharp.torch;

namespace Geneformer.Model;

/// <summary>
/// Writes what <c>torch.save</c> writes: a zip archive holding a pickle of nested dicts, lists, tuples (object
/// arrays), numbers, strings, booleans and None, whose tensors are stored as entries of their own, so that
/// <c>torch.load</c> reads it. TorchSharp.PyBridge writes module and optimizer state dicts this way, but keeps its
/// pickler internal and gives optimizer files TorchSharp's option names; a PyTorch training state also needs a
/// scheduler's state dict and PyTorch's names. The pickling is Razorvine.Pickle's; only torch's storage
/// records (its persistent ids) are written here.
/// </summary>
public static class TorchSave
{
    private const string Archive = "archive";

    static TorchSave()
    {
        Pickler.registerCustomDeconstructor(typeof(StoredTensor), new TensorRebuild());
        Pickler.registerCustomDeconstructor(typeof(EmptyOrderedDict), new EmptyOrderedDictRebuild());
        Pickler.registerCustomPickler(typeof(StorageType), new StorageTypePickler());
    }

    /// <summary>
    /// Writes <paramref name="root"/> to <paramref name="path"/>. Tensors are written as CPU copies; values that are the
    /// same <see cref="Tensor"/> object share one storage, as tied weights do in PyTorch.
    /// </summary>
    public static void Write(string path, object root)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        var storages = new List<StoredTensor>();
        var wrapped = Wrap(root, storages, new Dictionary<Tensor, StoredTensor>(ReferenceEqualityComparer.Instance));
        using (var pickle = zip.CreateEntry($"{Archive}/data.pkl", CompressionLevel.NoCompression).Open())
        using (var pickler = new StoragePickler())
            pickler.dump(wrapped, pickle);
        foreach (var s in storages)
        {
            using var scope = NewDisposeScope();
            using var entry = zip.CreateEntry($"{Archive}/data/{s.Key}", CompressionLevel.NoCompression).Open();
            entry.Write(s.Tensor.detach().cpu().contiguous().bytes);
        }
        using (var version = new StreamWriter(zip.CreateEntry($"{Archive}/version", CompressionLevel.NoCompression).Open(), Encoding.ASCII))
            version.Write("3\n");
    }

    /// <summary>A copy of the object graph with every tensor replaced by its storage record.</summary>
    private static object? Wrap(object? value, List<StoredTensor> storages, Dictionary<Tensor, StoredTensor> seen)
    {
        switch (value)
        {
            case Tensor t:
                if (!seen.TryGetValue(t, out var stored))
                {
                    stored = new StoredTensor(t, storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    seen[t] = stored;
                    storages.Add(stored);
                }
                return stored;
            case string:
                return value;
            case IDictionary d:
                var dict = new System.Collections.Specialized.OrderedDictionary();
                foreach (DictionaryEntry e in d) dict[e.Key] = Wrap(e.Value, storages, seen);
                return dict;
            case object[] tuple:
                return tuple.Select(v => Wrap(v, storages, seen)).ToArray();
            case IEnumerable list:
                return new ArrayList(list.Cast<object?>().Select(v => Wrap(v, storages, seen)).ToList());
            default:
                return value;
        }
    }

    private sealed record StoredTensor(Tensor Tensor, string Key);

    /// <summary>A storage class (torch.FloatStorage, ...), pickled as a reference to the class itself.</summary>
    private sealed record StorageType(string Name);

    private sealed class EmptyOrderedDict;

    /// <summary>Pickles each tensor's storage as torch's persistent id: ("storage", type, key, location, elements).</summary>
    private sealed class StoragePickler : Pickler
    {
        protected override bool persistentId(object pid, out object? newpid)
        {
            if (pid is StorageOf s)
            {
                newpid = new object[] { "storage", new StorageType(StorageName(s.Stored.Tensor.dtype)), s.Stored.Key, "cpu", s.Stored.Tensor.numel() };
                return true;
            }
            newpid = null;
            return false;
        }
    }

    /// <summary>The storage argument of a tensor's rebuild call.</summary>
    private sealed record StorageOf(StoredTensor Stored);

    /// <summary><c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)</c>, for a contiguous tensor.</summary>
    private sealed class TensorRebuild : IObjectDeconstructor
    {
        public string get_module() => "torch._utils";
        public string get_name() => "_rebuild_tensor_v2";

        public object[] deconstruct(object obj)
        {
            var s = (StoredTensor)obj;
            var shape = s.Tensor.shape;
            var stride = new long[shape.Length];
            for (long i = shape.Length - 1, step = 1; i >= 0; step *= shape[i], i--) stride[i] = step;
            return [new StorageOf(s), 0L, shape.Cast<object>().ToArray(), stride.Cast<object>().ToArray(), false, new EmptyOrderedDict()];
        }
    }

    private sealed class EmptyOrderedDictRebuild : IObjectDeconstructor
    {
        public string get_module() => "collections";
        public string get_name() => "OrderedDict";
        public object[] deconstruct(object obj) => [Array.Empty<object>()];
    }

    private sealed class StorageTypePickler : IObjectPickler
    {
        public void pickle(object o, Stream outs, Pickler currentPickler)
        {
            outs.WriteByte(Opcodes.GLOBAL);
            var name = Encoding.ASCII.GetBytes($"torch\n{((StorageType)o).Name}\n");
            outs.Write(name, 0, name.Length);
        }
    }

    private static string StorageName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Bool => "BoolStorage",
        _ => throw new NotSupportedException($"a {dtype} tensor has no torch storage type here"),
    };
}
