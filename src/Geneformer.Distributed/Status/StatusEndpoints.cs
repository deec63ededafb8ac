using Akka.Actor;
using Akka.Hosting;
using Geneformer.Distributed.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Geneformer.Distributed.Status;

/// <summary>The coordinator's read-only HTTP surface: <c>/</c> (live page), <c>/api/status</c>, <c>/metrics</c>, <c>/healthz</c>. GET only.</summary>
public static class StatusEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(StatusEndpoints).Assembly.GetManifestResourceStream("Geneformer.Distributed.Status.status.html")
            ?? throw new InvalidOperationException("status.html is not embedded in the assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", async (IRequiredActor<CoordinatorKey> coordinator, CancellationToken ct) =>
            Results.Text((await Query(coordinator, ct)).ToJson(), "application/json"));
        app.MapGet("/metrics", async (IRequiredActor<CoordinatorKey> coordinator, CancellationToken ct) =>
            Results.Text(PrometheusText.Render(await Query(coordinator, ct)), PrometheusText.ContentType));
        app.MapGet("/healthz", async (IRequiredActor<CoordinatorKey> coordinator, CancellationToken ct) =>
        {
            try
            {
                var status = await Query(coordinator, ct);
                return Results.Text($"ok: {status.Job.Phase}, {status.Job.RegisteredWorkers}/{status.Job.WorldSize} ranks\n");
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return Results.Text("coordinator not answering\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapGet("/", async (IRequiredActor<CoordinatorKey> coordinator, CancellationToken ct) =>
            Results.Content(Page.Value.Replace("/*INITIAL_STATUS*/null", (await Query(coordinator, ct)).ToJson()), "text/html; charset=utf-8"));
        return app;
    }

    private static async Task<StatusDocument> Query(IRequiredActor<CoordinatorKey> coordinator, CancellationToken ct)
    {
        var proxy = await coordinator.GetAsync(ct);
        return StatusDocument.From(await proxy.Ask<JobStatus>(GetJobStatus.Instance, AskTimeout, ct));
    }
}
