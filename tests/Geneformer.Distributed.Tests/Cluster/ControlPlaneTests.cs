using Geneformer.Distributed.Cluster;
using Microsoft.Extensions.Logging;

namespace Geneformer.Distributed.Tests.Cluster;

/// <summary>The parts of the control plane that keep a busy rank from being taken for a dead one, tested without a cluster.</summary>
public class ControlPlaneTests
{
    [Fact]
    public void Training_threads_run_below_the_control_plane_and_pass_their_priority_to_the_threads_they_start()
    {
        var before = TrainingPriority.NiceOf(TrainingPriority.CurrentThreadId());
        int? trainer = null, started = null;
        var training = new Thread(() =>
        {
            Assert.True(TrainingPriority.LowerCurrentThread(7));
            trainer = TrainingPriority.NiceOf(TrainingPriority.CurrentThreadId());
            var child = new Thread(() => started = TrainingPriority.NiceOf(TrainingPriority.CurrentThreadId()));
            child.Start();
            child.Join();
        });
        training.Start();
        training.Join();
        Assert.Equal(7, trainer);
        Assert.Equal(7, started);
        Assert.Equal(before, TrainingPriority.NiceOf(TrainingPriority.CurrentThreadId())); // the calling thread is untouched
        Assert.False(TrainingPriority.LowerCurrentThread(0));
    }

    [Fact]
    public void A_peer_s_expected_disassociation_is_logged_at_debug_and_a_real_failure_stays_an_error()
    {
        var sink = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        var logger = new TransportNoiseFilter(factory).CreateLogger("Akka.Actor.ActorSystem");
        logger.LogError("[akka://geneformer/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Fgeneformer%40127.0.0.1%3A40489-29/endpointWriter] Disassociated Cause: Akka.Remote.EndpointDisassociatedException: Disassociated");
        logger.LogWarning("Association with remote system akka.tcp://geneformer@127.0.0.1:41001 has failed; address is now gated for 500 ms");
        logger.LogError("job failure in generation 1: rank 3 (node-00, pid 42) hung: no heartbeat for 31.0s (timeout 30s)");
        Assert.Equal([LogLevel.Debug, LogLevel.Debug, LogLevel.Error], sink.Levels);
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public List<LogLevel> Levels { get; } = [];
        public ILogger CreateLogger(string categoryName) => new Logger(Levels);
        public void Dispose() { }

        private sealed class Logger(List<LogLevel> levels) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => levels.Add(logLevel);
        }
    }
}
