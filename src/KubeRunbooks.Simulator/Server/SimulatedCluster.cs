using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using KubeRunbooks.Simulator.Api;
using KubeRunbooks.Simulator.Audit;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeRunbooks.Simulator.Server;

/// <summary>
/// A simulated Kubernetes cluster: an API server on 127.0.0.1 (Kestrel, real HTTP and WebSocket),
/// its object store, audit log, fault plan, container runtime and controllers. Start it with
/// <see cref="StartAsync"/>, talk to it with <see cref="ClientConfiguration"/> or
/// <see cref="KubeconfigPath"/>, and dispose it to stop everything.
/// </summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly SimulatedClusterOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly X509Certificate2 _certificate = SelfSignedCertificate.Create();
    private WebApplication? _app;
    private AuditLog? _audit;
    private Authorization.AccessLog? _access;
    private int _disposed;

    private SimulatedCluster(SimulatedClusterOptions options, ObjectStore store, FaultPlan faults, string token)
    {
        _options = options;
        Store = store;
        Faults = faults;
        Token = token;
        KubeconfigPath = Path.GetFullPath(options.KubeconfigPath ?? Path.Combine(options.RootFolder, "kubeconfig"));
        AuditLogPath = Path.GetFullPath(options.AuditLogPath ?? Path.Combine(options.RootFolder, "audit.jsonl"));
        AccessLogPath = Path.GetFullPath(Path.Combine(options.RootFolder, "access.jsonl"));
    }

    /// <summary>The server's URL (<c>https://127.0.0.1:PORT</c>).</summary>
    public string Host { get; private set; } = "";

    /// <summary>The bearer token the server requires.</summary>
    public string Token { get; }

    /// <summary>The kubeconfig written for this cluster (context <see cref="SimulatedClusterOptions.ContextName"/>).</summary>
    public string KubeconfigPath { get; }

    /// <summary>The audit log (one JSON line per state-changing request).</summary>
    public string AuditLogPath { get; }

    /// <summary>
    /// With <see cref="SimulatedClusterOptions.EnforceRbac"/>, the access log: one JSON line per resource request (reads
    /// too) with its verb, group, resource, subresource, namespace, name, user and whether it was allowed.
    /// </summary>
    public string AccessLogPath { get; }

    /// <summary>The object store.</summary>
    public ObjectStore Store { get; }

    /// <summary>The fault plan; tests may change it while the cluster runs.</summary>
    public FaultPlan Faults { get; }

    /// <summary>A KubernetesClient configuration for this cluster.</summary>
    public KubernetesClientConfiguration ClientConfiguration => new()
    {
        Host = Host,
        AccessToken = Token,
        SslCaCerts = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(_certificate.RawData)),
    };

    /// <summary>The server's self-signed certificate (also its CA) as PEM.</summary>
    public string CertificateAuthorityPem => SelfSignedCertificate.ToPem(_certificate);

    /// <summary>Starts the server, writes the kubeconfig, then starts the controllers.</summary>
    public static async Task<SimulatedCluster> StartAsync(SimulatedClusterOptions options, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.RootFolder);
        var token = options.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var cluster = new SimulatedCluster(options, options.Store ?? new ObjectStore(), options.Faults ?? new FaultPlan(), token);
        try
        {
            await cluster.StartServerAsync(cancellationToken);
            KubeconfigFile.Write(cluster.KubeconfigPath, options.ContextName, cluster.Host, token, cluster.CertificateAuthorityPem);
            var context = new ControllerContext(cluster.Store, cluster.Faults, options.Runtime, Path.GetFullPath(options.RootFolder));
            foreach (var controller in options.Controllers) await controller.StartAsync(context, cluster._stopping.Token);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var faults = new HttpFaultInjection(Faults);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetFullPath(_options.RootFolder), Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, _options.Port, listen =>
            {
                listen.Use(next => connection =>
                {
                    // "Connection refused" fault: close new connections at once.
                    if (faults.Refusing)
                    {
                        connection.Abort();
                        return Task.CompletedTask;
                    }
                    return next(connection);
                });
                listen.UseHttps(_certificate);
            });
        });
        var app = builder.Build();
        _app = app;
        _audit = new AuditLog(AuditLogPath);
        var watch = new WatchEndpoint(Store, Faults, _options.WatchBookmarkInterval);
        var tokens = new Authorization.ServiceAccountTokens();
        var resources = new ResourceEndpoint(Store, watch, _options.Runtime, _audit, tokens);
        var authorizer = _options.Authorizer ?? (_options.EnforceRbac ? new Authorization.RbacAuthorizer(Store) : Authorization.AllowAllAuthorizer.Instance);
        var reviews = new Authorization.AccessReviewEndpoint(authorizer);
        var router = new ApiRouter(resources, reviews, () => new Uri(Host).Authority);
        var authentication = new Authentication(Token, tokens);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.Use((http, next) => faults.InvokeAsync(http, () => next(http)));
        app.Use((http, next) => authentication.InvokeAsync(http, () => next(http)));
        if (_options.EnforceRbac)
        {
            _access = new Authorization.AccessLog(AccessLogPath);
            var enforcement = new RbacEnforcement(authorizer, _access);
            app.Use((http, next) => enforcement.InvokeAsync(http, () => next(http)));
        }
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Host = address.Replace("[::1]", "127.0.0.1").TrimEnd('/');
    }

    /// <summary>Stops the controllers, the runtime and the server, and closes the audit log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        foreach (var controller in _options.Controllers.Reverse()) await controller.DisposeAsync();
        if (_options.Runtime != null) await _options.Runtime.DisposeAsync();
        if (_app != null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Open watches are cut at the deadline.
            }
            await _app.DisposeAsync();
        }
        _audit?.Dispose();
        _access?.Dispose();
        _stopping.Dispose();
        _certificate.Dispose();
    }
}
