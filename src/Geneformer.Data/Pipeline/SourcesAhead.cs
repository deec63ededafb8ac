using Geneformer.Data.Matrix;

namespace Geneformer.Data.Pipeline;

/// <summary>
/// Opens the input files in order, each one's successor in the background while the caller works on it: opening
/// reads a file's obs and var indexes, which for large files takes as long as a good share of its matrix. Each
/// source is disposed when the caller moves on (or stops); an error opening a file reaches the caller when it gets
/// to that file, as it would without opening ahead.
/// </summary>
internal static class SourcesAhead
{
    public static IEnumerable<(int Index, ICellSource Source)> Open(IReadOnlyList<string> inputs, Func<string, ICellSource> open)
    {
        Task<ICellSource>? next = inputs.Count > 0 ? Task.Run(() => open(inputs[0])) : null;
        try
        {
            for (int f = 0; f < inputs.Count; f++)
            {
                var current = next!;
                next = null;
                using var source = current.GetAwaiter().GetResult();
                if (f + 1 < inputs.Count)
                {
                    var path = inputs[f + 1];
                    next = Task.Run(() => open(path));
                }
                yield return (f, source);
            }
        }
        finally
        {
            // Stopped early: the file opened ahead is nobody's to use.
            if (next is not null)
            {
                try { next.GetAwaiter().GetResult().Dispose(); }
                catch (Exception e) when (e is not OutOfMemoryException) { } // its error is not the one being reported
            }
        }
    }
}
