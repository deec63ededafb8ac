using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// The logger factory Akka logs through. A member that leaves (a rank that finished or was aborted, a process that
/// exited) makes its peers' transports log "Disassociated" at ERROR with a stack trace, and "association failed" or
/// "remoting shut down" as it ends: the transport's expected end, not a failure. Those go on at Debug; the coordinator
/// reports real failures itself, one line each.
/// </summary>
internal sealed partial class TransportNoiseFilter(ILoggerFactory inner) : ILoggerFactory
{
    [GeneratedRegex(@"EndpointDisassociatedException|endpointWriter\] Disassociated|Association with remote system \S+ has failed|Remoting shut down|Remote daemon shut down|Shutting down remote daemon|Remoting system has been terminated abruptly")]
    private static partial Regex TransportEnd();

    public static bool IsTransportEnd(string? message, Exception? exception) =>
        exception?.GetType().Name == "EndpointDisassociatedException" || (message is not null && TransportEnd().IsMatch(message));

    public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() { } // the host owns the inner factory

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel > LogLevel.Debug && IsTransportEnd(formatter(state, exception), exception)) logLevel = LogLevel.Debug;
            if (inner.IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
