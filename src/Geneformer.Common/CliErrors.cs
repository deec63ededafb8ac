using System.Security;

namespace Geneformer.Common;

/// <summary>Turns the exceptions that describe bad input into one clear line on stderr instead of a stack trace.</summary>
public static class CliErrors
{
    /// <summary>
    /// Whether <paramref name="e"/> describes bad input. An argument out of range or null is a defect in the program,
    /// not in the input (options are checked with messages of their own), and keeps its stack trace.
    /// </summary>
    public static bool IsUserError(Exception e) => Unwrap(e) switch
    {
        ArgumentOutOfRangeException or ArgumentNullException => false,
        InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or IOException
            or UnauthorizedAccessException or SecurityException or FormatException or InvalidOperationException => true,
        _ => false,
    };

    public static void Report(Exception e) => Console.Error.WriteLine($"error: {Message(e)}");

    /// <summary>The message of the error that describes the problem (unwrapped from an aggregate of one).</summary>
    public static string Message(Exception e) => Unwrap(e).Message;

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;
}
