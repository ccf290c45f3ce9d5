using System.Text.Json.Nodes;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Tests.Kubernetes.Workloads;

[TestFixture]
public class WorkloadPatchesTests
{
    [Test]
    public void Scale_is_the_merge_patch_kubectl_sends()
    {
        Assert.That(WorkloadPatches.Scale(3), Is.EqualTo("""{"spec":{"replicas":3}}"""));
        Assert.That(() => WorkloadPatches.Scale(-1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ContainerImage_patches_the_named_container_in_the_template()
    {
        var patch = JsonNode.Parse(WorkloadPatches.ContainerImage("vantiq", "quay.io/v/vantiq:1.31.0"))!;
        var container = patch["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.That(container["name"]!.GetValue<string>(), Is.EqualTo("vantiq"));
        Assert.That(container["image"]!.GetValue<string>(), Is.EqualTo("quay.io/v/vantiq:1.31.0"));
    }

    [Test]
    public void ContainerImage_can_target_an_init_container()
    {
        var patch = JsonNode.Parse(WorkloadPatches.ContainerImage("load-model", "m:2", initContainer: true))!;
        Assert.That(patch["spec"]!["template"]!["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("load-model"));
        Assert.That(patch["spec"]!["template"]!["spec"]!["containers"], Is.Null);
    }

    [Test]
    public void RolloutRestart_stamps_restartedAt_in_RFC3339()
    {
        var now = new DateTimeOffset(2026, 11, 23, 19, 30, 5, TimeSpan.Zero);
        var patch = JsonNode.Parse(WorkloadPatches.RolloutRestart(now))!;
        Assert.That(patch["spec"]!["template"]!["metadata"]!["annotations"]![WorkloadPatches.RestartedAtAnnotation]!.GetValue<string>(),
            Is.EqualTo("2026-11-23T19:30:05Z"));
    }

    [Test]
    public void NextRestartStamp_is_now_to_the_second_when_the_template_has_no_stamp_or_an_older_one()
    {
        var now = new DateTimeOffset(2026, 12, 6, 14, 29, 4, 666, TimeSpan.Zero);
        Assert.That(WorkloadPatches.NextRestartStamp(null, now), Is.EqualTo(new DateTimeOffset(2026, 12, 6, 14, 29, 4, TimeSpan.Zero)));
        Assert.That(WorkloadPatches.NextRestartStamp("2026-12-06T14:29:03Z", now), Is.EqualTo(new DateTimeOffset(2026, 12, 6, 14, 29, 4, TimeSpan.Zero)));
        Assert.That(WorkloadPatches.NextRestartStamp("not a time", now), Is.EqualTo(new DateTimeOffset(2026, 12, 6, 14, 29, 4, TimeSpan.Zero)));
    }

    [Test]
    public void NextRestartStamp_moves_past_a_stamp_of_the_same_second_or_later_so_the_template_changes()
    {
        var now = new DateTimeOffset(2026, 12, 6, 14, 29, 4, 666, TimeSpan.Zero);
        Assert.That(WorkloadPatches.Rfc3339(WorkloadPatches.NextRestartStamp("2026-12-06T14:29:04Z", now)), Is.EqualTo("2026-12-06T14:29:05Z"));
        Assert.That(WorkloadPatches.Rfc3339(WorkloadPatches.NextRestartStamp("2026-12-06T14:29:09Z", now)), Is.EqualTo("2026-12-06T14:29:10Z"), "a clock behind the last stamp");
        Assert.That(WorkloadPatches.Rfc3339(WorkloadPatches.NextRestartStamp("2026-12-06T23:29:04+09:00", now)), Is.EqualTo("2026-12-06T14:29:05Z"), "another offset, the same instant");
    }

    [Test]
    public void Rfc3339_keeps_a_non_utc_offset()
    {
        Assert.That(WorkloadPatches.Rfc3339(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(9))), Is.EqualTo("2026-01-02T03:04:05+09:00"));
    }

    [Test]
    public void Annotations_escape_values_and_null_removes_a_key()
    {
        var body = WorkloadPatches.Annotations(new Dictionary<string, string?> { ["a/b"] = "say \"hi\"", ["gone"] = null });
        Assert.That(body, Is.EqualTo("""{"metadata":{"annotations":{"a/b":"say \u0022hi\u0022","gone":null}}}"""));
        Assert.That(JsonNode.Parse(body)!["metadata"]!["annotations"]!["a/b"]!.GetValue<string>(), Is.EqualTo("say \"hi\""));
    }
}
