using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>
/// kubectl's imperative creates (sent as protobuf by client-go's typed clients) and the server's
/// refusals of server-owned metadata, as a real 1.32 cluster answers them.
/// </summary>
[TestFixture]
public sealed class KubectlCreateConformanceTests : ClusterFixture
{
    [Test]
    public async Task Create_namespace_is_decoded_from_protobuf()
    {
        var name = "ns-" + Guid.NewGuid().ToString("N")[..8];

        var result = (await Kubectl.RunAsync("create", "namespace", name, "-v=8")).EnsureSuccess();

        var ns = await Client.CoreV1.ReadNamespaceAsync(name);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Does.Contain("Content-Type: application/vnd.kubernetes.protobuf"), "kubectl sent the Namespace as protobuf");
            Assert.That(result.Stdout.Trim(), Is.EqualTo($"namespace/{name} created"));
            Assert.That(ns.Status.Phase, Is.EqualTo("Active"));
        });
    }

    [Test]
    public async Task Create_secret_generic_keeps_the_bytes_of_each_key()
    {
        var ns = await NewNamespaceAsync();
        var file = Path.Combine(Root, "binary-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllBytesAsync(file, [0, 1, 2, 250, 255]);

        var result = (await Kubectl.RunAsync("create", "secret", "generic", "db-cred", "-n", ns, "--from-literal=password=s3cr3t=x", $"--from-file=blob={file}")).EnsureSuccess();

        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("db-cred", ns);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout.Trim(), Is.EqualTo("secret/db-cred created"));
            Assert.That(secret.Type, Is.EqualTo("Opaque"));
            Assert.That(Encoding.UTF8.GetString(secret.Data["password"]), Is.EqualTo("s3cr3t=x"));
            Assert.That(secret.Data["blob"], Is.EqualTo(new byte[] { 0, 1, 2, 250, 255 }));
        });
    }

    [Test]
    public async Task Create_secret_tls_and_docker_registry_have_their_types()
    {
        var ns = await NewNamespaceAsync();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=web.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certFile = Path.Combine(Root, "tls-" + Guid.NewGuid().ToString("N")[..6] + ".crt");
        var keyFile = Path.ChangeExtension(certFile, ".key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

        (await Kubectl.RunAsync("create", "secret", "tls", "web-tls", "-n", ns, $"--cert={certFile}", $"--key={keyFile}")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "secret", "docker-registry", "pull", "-n", ns, "--docker-server=registry.example", "--docker-username=u", "--docker-password=p")).EnsureSuccess();

        var tls = await Client.CoreV1.ReadNamespacedSecretAsync("web-tls", ns);
        var pull = await Client.CoreV1.ReadNamespacedSecretAsync("pull", ns);
        Assert.Multiple(() =>
        {
            Assert.That(tls.Type, Is.EqualTo("kubernetes.io/tls"));
            Assert.That(Encoding.UTF8.GetString(tls.Data["tls.crt"]), Is.EqualTo(certificate.ExportCertificatePem()));
            Assert.That(tls.Data.Keys, Is.EquivalentTo(new[] { "tls.crt", "tls.key" }));
            Assert.That(pull.Type, Is.EqualTo("kubernetes.io/dockerconfigjson"));
            Assert.That(Encoding.UTF8.GetString(pull.Data[".dockerconfigjson"]), Does.Contain("\"registry.example\""));
        });
    }

    [Test]
    public async Task Create_config_map_puts_text_in_data_and_bytes_in_binary_data()
    {
        var ns = await NewNamespaceAsync();
        var file = Path.Combine(Root, "bin-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllBytesAsync(file, [0xff, 0xfe, 0x00]);

        var result = (await Kubectl.RunAsync("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast", $"--from-file=raw={file}")).EnsureSuccess();

        var map = await Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout.Trim(), Is.EqualTo("configmap/settings created"));
            Assert.That(map.Data["mode"], Is.EqualTo("fast"));
            Assert.That(map.BinaryData["raw"], Is.EqualTo(new byte[] { 0xff, 0xfe, 0x00 }));
        });
    }

    [Test]
    public async Task Create_service_account_and_service_are_served()
    {
        var ns = await NewNamespaceAsync();

        var sa = (await Kubectl.RunAsync("create", "serviceaccount", "backup-runner", "-n", ns)).EnsureSuccess();
        var svc = (await Kubectl.RunAsync("create", "service", "clusterip", "web", "-n", ns, "--tcp=80:8080")).EnsureSuccess();
        var list = (await Kubectl.RunAsync("get", "sa", "-n", ns)).EnsureSuccess();

        var service = await Client.CoreV1.ReadNamespacedServiceAsync("web", ns);
        Assert.Multiple(() =>
        {
            Assert.That(sa.Stdout.Trim(), Is.EqualTo("serviceaccount/backup-runner created"));
            Assert.That(svc.Stdout.Trim(), Is.EqualTo("service/web created"));
            Assert.That(list.Stdout, Does.Match(@"NAME\s+SECRETS\s+AGE\nbackup-runner\s+0\s+\d+s"));
            Assert.That(service.Spec.Ports.Single().Port, Is.EqualTo(80));
            Assert.That(service.Spec.Ports.Single().TargetPort.Value, Is.EqualTo("8080"));
            Assert.That(service.Spec.Selector["app"], Is.EqualTo("web"));
        });
    }

    [Test]
    public async Task Create_deployment_cron_job_and_job_are_decoded_with_their_specs()
    {
        var ns = await NewNamespaceAsync();

        (await Kubectl.RunAsync("create", "deployment", "web", "-n", ns, "--image=nginx:1.27", "--replicas=2", "--port=80")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "cronjob", "nightly", "-n", ns, "--image=busybox:1.36", "--schedule=0 3 * * *", "--", "sh", "-c", "echo hi")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "job", "once", "-n", ns, "--image=busybox:1.36", "--", "echo", "done")).EnsureSuccess();

        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        var cronJob = await Client.BatchV1.ReadNamespacedCronJobAsync("nightly", ns);
        var job = await Client.BatchV1.ReadNamespacedJobAsync("once", ns);
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Spec.Replicas, Is.EqualTo(2));
            Assert.That(deployment.Spec.Selector.MatchLabels["app"], Is.EqualTo("web"));
            Assert.That(deployment.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("nginx:1.27"));
            Assert.That(deployment.Spec.Template.Spec.Containers.Single().Ports.Single().ContainerPort, Is.EqualTo(80));
            Assert.That(cronJob.Spec.Schedule, Is.EqualTo("0 3 * * *"));
            Assert.That(cronJob.Spec.JobTemplate.Spec.Template.Spec.Containers.Single().Command, Is.EqualTo(new[] { "sh", "-c", "echo hi" }));
            Assert.That(cronJob.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy, Is.EqualTo("OnFailure"));
            Assert.That(job.Spec.Template.Spec.Containers.Single().Command, Is.EqualTo(new[] { "echo", "done" }));
            Assert.That(job.Spec.Template.Spec.RestartPolicy, Is.EqualTo("Never"));
        });
    }

    [Test]
    public async Task Kubectl_create_clears_a_resource_version_as_real_kubectl_does()
    {
        var ns = await NewNamespaceAsync();
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: restored\n  namespace: {ns}\n  resourceVersion: \"12345\"\ndata:\n  a: \"1\"\n";

        var result = (await Kubectl.RunWithInputAsync(yaml, "create", "-f", "-", "-v=8")).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout.Trim(), Is.EqualTo("configmap/restored created"));
            Assert.That(result.Stderr, Does.Not.Contain("\"resourceVersion\":\"12345\""), "kubectl's create helper sent the object without its resourceVersion");
        });
    }

    [Test]
    public async Task Client_create_with_a_resource_version_is_refused_as_by_the_storage_layer()
    {
        var ns = await NewNamespaceAsync();
        var map = new V1ConfigMap { Metadata = new() { Name = "restored", ResourceVersion = "12345" }, Data = new Dictionary<string, string> { ["a"] = "1" } };

        var e = Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(map, ns));

        Assert.Multiple(async () =>
        {
            Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(e.Response.Content, Does.Contain("resourceVersion should not be set on objects to be created"));
            Assert.That((await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items, Is.Empty, "nothing was created");
        });
    }

    [Test]
    public async Task Create_with_a_resource_version_answers_500_without_a_reason()
    {
        var ns = await NewNamespaceAsync();
        using var http = NewHttpClient();
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"resourceVersion\":\"7\"}}";

        var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", new StringContent(body, Encoding.UTF8, "application/json"));
        var status = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That((string?)status["message"], Is.EqualTo("resourceVersion should not be set on objects to be created"));
            Assert.That(status["reason"], Is.Null);
        });
    }

    [Test]
    public async Task Replace_with_another_objects_uid_is_a_conflict_naming_both_uids()
    {
        var ns = await NewNamespaceAsync();
        var current = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "app" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        var foreign = Guid.NewGuid().ToString();
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: {ns}\n  uid: {foreign}\ndata:\n  a: \"2\"\n";

        var result = await Kubectl.RunWithInputAsync(yaml, "replace", "-f", "-");

        var after = await Client.CoreV1.ReadNamespacedConfigMapAsync("app", ns);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Stderr.Trim(), Is.EqualTo(
                $"Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be fulfilled on configmaps \"app\": Precondition failed: UID in precondition: {foreign}, UID in object meta: {current.Metadata.Uid}"));
            Assert.That(after.Data["a"], Is.EqualTo("1"), "the object is unchanged");
        });
    }

    [Test]
    public async Task Replace_with_its_own_uid_succeeds()
    {
        var ns = await NewNamespaceAsync();
        var current = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "app" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: {ns}\n  uid: {current.Metadata.Uid}\ndata:\n  a: \"2\"\n";

        (await Kubectl.RunWithInputAsync(yaml, "replace", "-f", "-")).EnsureSuccess();

        Assert.That((await Client.CoreV1.ReadNamespacedConfigMapAsync("app", ns)).Data["a"], Is.EqualTo("2"));
    }
}
