using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Patching;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>The patch engines on their own: strategic merge directives, JSON patch errors, YAML bodies.</summary>
[TestFixture]
public sealed class PatchTests
{
    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    [Test]
    public void Strategic_delete_directive_removes_a_list_element_by_key()
    {
        var target = Parse("{\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}]}");

        var result = StrategicMergePatch.Apply(target, Parse("{\"env\":[{\"name\":\"A\",\"$patch\":\"delete\"}]}"))!;

        Assert.That(result.ToJsonString(), Is.EqualTo("{\"env\":[{\"name\":\"B\",\"value\":\"2\"}]}"));
    }

    [Test]
    public void Strategic_element_order_and_retain_keys_directives_are_not_stored()
    {
        var target = Parse("{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\"}]}");
        var patch = Parse("{\"$setElementOrder/containers\":[{\"name\":\"a\"}],\"containers\":[{\"name\":\"a\",\"image\":\"x:2\"}]}");

        var result = StrategicMergePatch.Apply(target, patch)!;

        Assert.That(result.ToJsonString(), Is.EqualTo("{\"containers\":[{\"name\":\"a\",\"image\":\"x:2\"}]}"));
    }

    [Test]
    public void Strategic_null_removes_a_map_key()
    {
        var result = StrategicMergePatch.Apply(Parse("{\"labels\":{\"a\":\"1\",\"b\":\"2\"}}"), Parse("{\"labels\":{\"a\":null}}"))!;

        Assert.That(result.ToJsonString(), Is.EqualTo("{\"labels\":{\"b\":\"2\"}}"));
    }

    [Test]
    public void Service_ports_merge_on_port_and_container_ports_on_container_port()
    {
        var service = StrategicMergePatch.Apply(Parse("{\"ports\":[{\"port\":80,\"name\":\"a\"}]}"), Parse("{\"ports\":[{\"port\":80,\"name\":\"b\"}]}"))!;
        var container = StrategicMergePatch.Apply(Parse("{\"ports\":[{\"containerPort\":80}]}"), Parse("{\"ports\":[{\"containerPort\":81}]}"))!;

        Assert.Multiple(() =>
        {
            Assert.That(service["ports"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(container["ports"]!.AsArray(), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void Json_patch_move_copy_and_array_append()
    {
        var target = Parse("{\"a\":[1],\"b\":{\"c\":1}}");
        var patch = Parse("[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":2},{\"op\":\"copy\",\"from\":\"/b\",\"path\":\"/d\"},{\"op\":\"move\",\"from\":\"/b/c\",\"path\":\"/e\"}]");

        var result = JsonPatch.Apply(target, patch);

        Assert.That(result.ToJsonString(), Is.EqualTo("{\"a\":[1,2],\"b\":{},\"d\":{\"c\":1},\"e\":1}"));
    }

    [Test]
    public void Json_patch_that_is_not_an_array_is_a_bad_request()
    {
        var e = Assert.Throws<ApiError>(() => JsonPatch.Apply(Parse("{}"), Parse("{\"op\":\"add\"}")));

        Assert.That(e!.Code, Is.EqualTo(400));
    }

    [Test]
    public void Yaml_bodies_keep_quoted_strings_as_strings()
    {
        var node = YamlJson.Parse("a: 1\nb: \"1\"\nc: true\nd: [x, y]\ne: null\n")!;

        Assert.That(node.ToJsonString(), Is.EqualTo("{\"a\":1,\"b\":\"1\",\"c\":true,\"d\":[\"x\",\"y\"],\"e\":null}"));
    }

    [Test]
    public void Malformed_yaml_is_a_bad_request()
    {
        var e = Assert.Throws<ApiError>(() => YamlJson.Parse("a: [1\nb: 2"));

        Assert.That(e!.Code, Is.EqualTo(400));
    }
}
