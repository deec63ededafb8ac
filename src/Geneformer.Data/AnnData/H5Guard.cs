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
        catch (InvalidDataException e) when (e.Message.StartsWith(where, StringComparison.Ordinal))
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{where}: unreadable ({e.GetType().Name}: {e.Message}); the file may be truncated or corrupt", e);
        }
    }
}
