using System.Buffers.Binary;
using System.Text;

namespace Geneformer.Data.Vocabulary;

/// <summary>
/// A minimal, safe reader of the Python pickles Geneformer ships its dictionaries in: a top-level
/// <c>dict</c> of str keys and str / int / float / numpy-scalar values (protocols 2-5). Nothing is executed:
/// the only callables understood are <c>numpy.dtype</c> and <c>numpy.core.multiarray.scalar</c>, which
/// are decoded into plain <see cref="long"/>/<see cref="double"/>; any other global is refused.
/// </summary>
/// <remarks>
/// Why not a library: the one .NET pickle library in reach (Razorvine.Pickle) comes only transitively
/// through TorchSharp.PyBridge, which this torch-free project must not depend on, and it would still
/// need custom constructors for numpy's dtype/scalar reduce protocol (the gc30M token values are numpy
/// int16 scalars, all medians numpy float64). Those files use about 25 opcodes, so a small purpose-built
/// reader is less code and less risk than wiring a general unpickler.
/// </remarks>
public static class PickleReader
{
    private sealed record PyGlobal(string Module, string Name);
    private sealed class NumpyDtype(string code) { public string Code = code; public bool BigEndian; }
    private sealed class Mark { public static readonly Mark Instance = new(); }

    /// <summary>Reads a pickled <c>dict[str, number or str]</c>; values come back as <see cref="long"/>, <see cref="double"/> or <see cref="string"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, object>> ReadStringKeyedDictionary(string path)
    {
        var root = Load(File.ReadAllBytes(path), path);
        if (root is not List<KeyValuePair<object, object?>> dict)
            throw new InvalidDataException($"{path}: the pickle holds a {root?.GetType().Name ?? "None"}, expected a dict");
        var result = new List<KeyValuePair<string, object>>(dict.Count);
        foreach (var (k, v) in dict)
        {
            if (k is not string key) throw new InvalidDataException($"{path}: dict key {k} is not a string");
            if (v is not (long or double or string)) throw new InvalidDataException($"{path}: value of '{key}' is {v?.GetType().Name ?? "None"}, expected a number or a string");
            result.Add(new(key, v));
        }
        return result;
    }

    /// <summary>Unpickles <paramref name="data"/>; dicts are returned as ordered key/value lists (insertion order, as Python keeps it).</summary>
    public static object? Load(ReadOnlySpan<byte> data, string source)
    {
        var stack = new List<object?>();
        var marks = new Stack<int>();
        var memo = new Dictionary<long, object?>();
        int p = 0;

        object? Pop() { var v = stack[^1]; stack.RemoveAt(stack.Count - 1); return v; }
        List<object?> PopToMark()
        {
            var at = marks.Pop();
            var items = stack.GetRange(at, stack.Count - at);
            stack.RemoveRange(at, stack.Count - at);
            return items;
        }
        InvalidDataException Bad(string what) => new($"{source}: pickle {what} at byte {p}");

        while (true)
        {
            if (p >= data.Length) throw Bad("ends without STOP");
            var op = data[p++];
            switch (op)
            {
                case 0x80: p++; break; // PROTO n
                case 0x95: p += 8; break; // FRAME len (frames are only a read-ahead hint)
                case 0x2e: // STOP
                    if (stack.Count != 1) throw Bad($"stack holds {stack.Count} items at STOP");
                    return stack[0];
                case 0x7d: stack.Add(new List<KeyValuePair<object, object?>>()); break; // EMPTY_DICT
                case 0x5d: stack.Add(new List<object?>()); break; // EMPTY_LIST
                case 0x29: stack.Add(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case 0x28: marks.Push(stack.Count); break; // MARK
                case 0x94: memo[memo.Count] = stack[^1]; break; // MEMOIZE
                case 0x71: memo[data[p++]] = stack[^1]; break; // BINPUT
                case 0x72: memo[BinaryPrimitives.ReadUInt32LittleEndian(data[p..])] = stack[^1]; p += 4; break; // LONG_BINPUT
                case 0x68: stack.Add(Memo(memo, data[p++], source)); break; // BINGET
                case 0x6a: stack.Add(Memo(memo, BinaryPrimitives.ReadUInt32LittleEndian(data[p..]), source)); p += 4; break; // LONG_BINGET
                case 0x4e: stack.Add(null); break; // NONE
                case 0x88: stack.Add(true); break; // NEWTRUE
                case 0x89: stack.Add(false); break; // NEWFALSE
                case 0x4b: stack.Add((long)data[p++]); break; // BININT1
                case 0x4d: stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(data[p..])); p += 2; break; // BININT2
                case 0x4a: stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(data[p..])); p += 4; break; // BININT
                case 0x8a: // LONG1
                {
                    int n = data[p++];
                    if (n > 8) throw Bad($"LONG1 of {n} bytes");
                    long v = 0;
                    for (int i = 0; i < n; i++) v |= (long)data[p + i] << (8 * i);
                    if (n is > 0 and < 8 && (data[p + n - 1] & 0x80) != 0) v -= 1L << (8 * n);
                    p += n;
                    stack.Add(v);
                    break;
                }
                case 0x47: stack.Add(BinaryPrimitives.ReadDoubleBigEndian(data[p..])); p += 8; break; // BINFLOAT
                case 0x8c: { int n = data[p++]; stack.Add(Encoding.UTF8.GetString(data.Slice(p, n))); p += n; break; } // SHORT_BINUNICODE
                case 0x58: { var n = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data[p..])); p += 4; stack.Add(Encoding.UTF8.GetString(data.Slice(p, n))); p += n; break; } // BINUNICODE
                case 0x43: { int n = data[p++]; stack.Add(data.Slice(p, n).ToArray()); p += n; break; } // SHORT_BINBYTES
                case 0x42: { var n = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data[p..])); p += 4; stack.Add(data.Slice(p, n).ToArray()); p += n; break; } // BINBYTES
                case 0x85: stack.Add(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; } // TUPLE3
                case 0x74: stack.Add(PopToMark().ToArray()); break; // TUPLE
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop() as string ?? throw Bad("STACK_GLOBAL name is not a string");
                    var module = Pop() as string ?? throw Bad("STACK_GLOBAL module is not a string");
                    stack.Add(new PyGlobal(module, name));
                    break;
                }
                case 0x52: // REDUCE
                {
                    var args = Pop() as object?[] ?? throw Bad("REDUCE arguments are not a tuple");
                    var callable = Pop() as PyGlobal ?? throw Bad("REDUCE of something not a global");
                    stack.Add(Reduce(callable, args, source));
                    break;
                }
                case 0x62: // BUILD: only numpy dtype state (version, byte order, ...) is understood
                {
                    var state = Pop();
                    if (stack[^1] is NumpyDtype dtype && state is object?[] { Length: >= 2 } s && s[1] is string order)
                        dtype.BigEndian = order == ">";
                    else throw Bad($"BUILD on {stack[^1]?.GetType().Name}");
                    break;
                }
                case 0x73: // SETITEM
                {
                    var v = Pop(); var k = Pop();
                    AsDict(stack[^1], source).Add(new(k!, v));
                    break;
                }
                case 0x75: // SETITEMS
                {
                    var items = PopToMark();
                    var dict = AsDict(stack[^1], source);
                    for (int i = 0; i + 1 < items.Count; i += 2) dict.Add(new(items[i]!, items[i + 1]));
                    break;
                }
                case 0x65: // APPENDS
                {
                    var items = PopToMark();
                    (stack[^1] as List<object?> ?? throw Bad("APPENDS to a non-list")).AddRange(items);
                    break;
                }
                default: throw Bad($"opcode 0x{op:x2} is not supported");
            }
        }
    }

    private static object? Memo(Dictionary<long, object?> memo, long key, string source) =>
        memo.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{source}: pickle memo entry {key} is missing");

    private static List<KeyValuePair<object, object?>> AsDict(object? o, string source) =>
        o as List<KeyValuePair<object, object?>> ?? throw new InvalidDataException($"{source}: pickle SETITEM(S) on a {o?.GetType().Name ?? "None"}, not a dict");

    private static object Reduce(PyGlobal callable, object?[] args, string source)
    {
        switch (callable)
        {
            case { Module: "numpy", Name: "dtype" } when args is [string code, ..]:
                return new NumpyDtype(code);
            case { Module: "numpy.core.multiarray" or "numpy._core.multiarray", Name: "scalar" } when args is [NumpyDtype dtype, byte[] bytes]:
                return NumpyScalar(dtype, bytes, source);
            default:
                throw new InvalidDataException($"{source}: pickle calls {callable.Module}.{callable.Name}, which this reader refuses (only numpy dtype/scalar are understood)");
        }
    }

    private static object NumpyScalar(NumpyDtype dtype, byte[] raw, string source)
    {
        Span<byte> b = stackalloc byte[raw.Length];
        raw.CopyTo(b);
        if (dtype.BigEndian != !BitConverter.IsLittleEndian) b.Reverse();
        return (dtype.Code, raw.Length) switch
        {
            ("i1", 1) => (object)(long)(sbyte)b[0],
            ("u1", 1) => (object)(long)b[0],
            ("i2", 2) => (object)(long)BitConverter.ToInt16(b),
            ("u2", 2) => (object)(long)BitConverter.ToUInt16(b),
            ("i4", 4) => (object)(long)BitConverter.ToInt32(b),
            ("u4", 4) => (object)(long)BitConverter.ToUInt32(b),
            ("i8", 8) => (object)BitConverter.ToInt64(b),
            ("f4", 4) => (object)(double)BitConverter.ToSingle(b),
            ("f8", 8) => (object)BitConverter.ToDouble(b),
            _ => throw new InvalidDataException($"{source}: numpy scalar of dtype '{dtype.Code}' with {raw.Length} bytes is not supported"),
        };
    }
}
