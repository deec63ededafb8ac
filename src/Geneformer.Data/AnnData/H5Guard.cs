namespace Geneformer.Data.AnnData;

/// <summary>Turns PureHDF's low-level failures (truncated files, bad chunks) into messages that name the file and dataset.</summary>
internal static class H5Guard
{
    public static T Run<T>(string where, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is OutOfMemoryException || ThrownByThisLibrary(e))
        {
            throw;
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{where}: unreadable ({e.GetType().Name}: {e.Message}); the file may be truncated or corrupt", e);
        }
    }

    /// <summary>Our own errors already name the file and dataset; anything PureHDF or the runtime throws does not.</summary>
    private static bool ThrownByThisLibrary(Exception e) =>
        e is InvalidDataException or ArgumentException
        && e.TargetSite?.DeclaringType?.Namespace?.StartsWith("Geneformer.", StringComparison.Ordinal) == true;
}
