using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>
/// The benchmarks' minimal API server for the runtime alone, on 127.0.0.1:0 with a bearer token: /version, legacy
/// discovery, GET pod, pods/log and pods/exec, and nothing else on the request path (no audit log, no store), so a
/// benchmark measures the exec stream. Tests start clusters with <c>TestCluster</c> (<c>TestCluster.OfRuntime</c>).
/// </summary>
public sealed class RuntimeTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string, string), V1Pod> _pods = new();

    private RuntimeTestServer(WebApplication app, IPodRuntime runtime, string token)
    {
        _app = app;
        Runtime = runtime;
        Token = token;
    }

    /// <summary>The runtime served.</summary>
    public IPodRuntime Runtime { get; }

    /// <summary>The bearer token required.</summary>
    public string Token { get; }

    /// <summary>The server's self-signed certificate (its own CA).</summary>
    public X509Certificate2 Certificate { get; private init; } = null!;

    /// <summary>https://127.0.0.1:PORT.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts a server in front of the runtime.</summary>
    public static async Task<RuntimeTestServer> StartAsync(IPodRuntime runtime)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // TLS, because kubectl sends no bearer token to a plain-http server.
        var certificate = SelfSignedCertificate();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var server = new RuntimeTestServer(app, runtime, Convert.ToHexString(Guid.NewGuid().ToByteArray())) { Certificate = certificate };
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    /// <summary>Makes the pod visible to GET (kubectl reads the pod before logs and exec) and starts it in the runtime.</summary>
    public void RunPod(V1Pod pod, IPodStatusSink sink)
    {
        pod.Status ??= new V1PodStatus { Phase = "Running" };
        pod.Kind = "Pod";
        pod.ApiVersion = "v1";
        _pods[(pod.Metadata.NamespaceProperty, pod.Metadata.Name)] = pod;
        Runtime.StartPod(pod, sink);
    }

    /// <summary>A KubernetesClient for this server.</summary>
    public k8s.Kubernetes CreateClient() =>
        new(new KubernetesClientConfiguration { Host = BaseUrl, AccessToken = Token, SslCaCerts = [Certificate] });

    /// <summary>An HttpClient that trusts the server and sends the token.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.Thumbprint == Certificate.Thumbprint,
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    /// <summary>Writes a kubeconfig for kubectl and returns its path.</summary>
    public string WriteKubeconfig(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster:
                server: {BaseUrl}
                certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Certificate.ExportCertificatePem()))}
            users:
            - name: sim
              user:
                token: {Token}
            contexts:
            - name: sim
              context:
                cluster: sim
                user: sim
                namespace: default
            current-context: sim
            """);
        return path;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.Use(async (http, next) =>
        {
            if (http.Request.Headers.Authorization.ToString() != "Bearer " + Token)
            {
                http.Response.StatusCode = 401;
                await http.Response.WriteAsJsonAsync(new { kind = "Status", apiVersion = "v1", status = "Failure", message = "Unauthorized", reason = "Unauthorized", code = 401 });
                return;
            }
            await next(http);
        });
        app.MapGet("/version", () => Results.Json(new { major = "1", minor = "32", gitVersion = "v1.32.0-sim", platform = "linux/amd64" }));
        app.MapGet("/api", () => Results.Json(new { kind = "APIVersions", versions = new[] { "v1" } }));
        app.MapGet("/apis", () => Results.Json(new { kind = "APIGroupList", apiVersion = "v1", groups = Array.Empty<object>() }));
        app.MapGet("/api/v1", () => Results.Json(new
        {
            kind = "APIResourceList",
            groupVersion = "v1",
            resources = new object[]
            {
                new { name = "pods", singularName = "pod", @namespaced = true, kind = "Pod", verbs = new[] { "get" }, shortNames = new[] { "po" } },
                new { name = "pods/log", singularName = "", @namespaced = true, kind = "Pod", verbs = new[] { "get" } },
                new { name = "pods/exec", singularName = "", @namespaced = true, kind = "PodExecOptions", verbs = new[] { "create", "get" } },
            },
        }));
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}", (string ns, string name) =>
            _pods.TryGetValue((ns, name), out var pod)
                ? Results.Text(KubernetesJson.Serialize(pod), "application/json")
                : Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", message = $"pods \"{name}\" not found", reason = "NotFound", code = 404 }, statusCode: 404));
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", (HttpContext http, string ns, string name) =>
        {
            var q = http.Request.Query;
            var request = new LogRequest(q["container"].FirstOrDefault(), Flag(q["follow"]), Long(q["tailLines"]), Flag(q["previous"]),
                Flag(q["timestamps"]), Long(q["limitBytes"]));
            return Runtime.HandleLogsAsync(http, ns, name, request);
        });
        app.MapMethods("/api/v1/namespaces/{ns}/pods/{name}/exec", ["GET", "POST"], (HttpContext http, string ns, string name) =>
        {
            var q = http.Request.Query;
            var request = new ExecRequest(q["container"].FirstOrDefault(), q["command"].Select(c => c ?? "").ToList(),
                Flag(q["stdin"]), Flag(q["stdout"]), Flag(q["stderr"]), Flag(q["tty"]));
            return Runtime.HandleExecAsync(http, ns, name, request);
        });
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kuberunbooks-runtime-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Re-load from PKCS#12 so Kestrel gets a certificate whose key it can use on Linux.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    private static bool Flag(Microsoft.Extensions.Primitives.StringValues value) =>
        value.FirstOrDefault() is "1" or "true" or "True";

    private static long? Long(Microsoft.Extensions.Primitives.StringValues value) =>
        long.TryParse(value.FirstOrDefault(), out var n) ? n : null;
}
