using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

/// <summary>Akka's log level for a member logging at <see cref="MelLogLevel"/>: events below it are never published.</summary>
internal static class AkkaLogLevel
{
    public static Akka.Event.LogLevel Of(MelLogLevel level) => level switch
    {
        MelLogLevel.Trace or MelLogLevel.Debug => Akka.Event.LogLevel.DebugLevel,
        MelLogLevel.Information => Akka.Event.LogLevel.InfoLevel,
        MelLogLevel.Warning => Akka.Event.LogLevel.WarningLevel,
        _ => Akka.Event.LogLevel.ErrorLevel,
    };
}
