using k8s;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>A scenario's own fault plan and image mappings reach the running cluster.</summary>
public sealed class ScenarioFaultsTests
{
    [Test]
    public async Task Faults_and_stand_ins_of_a_scenario_file_act_in_the_cluster()
    {
        await using (var cluster = await TestCluster.OfScenarioYaml("""
            readinessDelaySeconds: 0
            images:
              greeter: [sh, -c, "echo hello from the stand-in; exec sleep 600"]
            faults:
              failingJobs: ["^nightly$"]
              neverReadyPods: ["^hello-1$"]
            objects:
              - { apiVersion: v1, kind: Namespace, metadata: { name: app } }
              - apiVersion: batch/v1
                kind: Job
                metadata: { name: nightly, namespace: app }
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{ name: main, image: busybox, command: [sh, -c, "exit 0"] }]
              - apiVersion: apps/v1
                kind: StatefulSet
                metadata: { name: hello, namespace: app }
                spec:
                  replicas: 2
                  serviceName: hello
                  selector: { matchLabels: { app: hello } }
                  template:
                    metadata: { labels: { app: hello } }
                    spec:
                      containers: [{ name: greeter, image: "registry.example/greeter:3" }]
            """).WithReadinessDelay(TimeSpan.Zero).StartAsync("sft"))
        {
            var client = cluster.Client;
            await Eventually.UntilAsync(async () =>
                    (await client.BatchV1.ReadNamespacedJobAsync("nightly", "app")).Status?.Conditions?.Any(c => c.Type == "Failed") == true &&
                    (await client.AppsV1.ReadNamespacedStatefulSetAsync("hello", "app")).Status?.Replicas == 2 &&
                    (await client.CoreV1.ReadNamespacedPodAsync("hello-1", "app")).Status?.Phase == "Running",
                "the scenario's faults show (nightly failed, hello-1 running)", TimeSpan.FromSeconds(30));

            var sts = await client.AppsV1.ReadNamespacedStatefulSetAsync("hello", "app");
            Assert.That(sts.Status.ReadyReplicas, Is.EqualTo(1), "hello-1 never becomes Ready");
            // The line is written as the process starts; read until it is there.
            var text = "";
            await Eventually.UntilAsync(async () =>
            {
                await using var log = await client.CoreV1.ReadNamespacedPodLogAsync("hello-0", "app");
                text = await new StreamReader(log).ReadToEndAsync();
                return text.Length > 0;
            }, "hello-0 has written its log", TimeSpan.FromSeconds(30));
            Assert.That(text, Is.EqualTo("hello from the stand-in\n"));
        }
    }
}
