using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Controllers;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>
/// The pod controller reads a deletion's grace period however the store holds the number: parsed from a request's
/// JSON, or set in code as an int (the default terminationGracePeriodSeconds), whose (long?) cast used to throw on
/// every deletion of such a pod ("A value of type 'System.Int32' cannot be converted to a 'System.Int64'").
/// </summary>
[TestFixture]
public sealed class GracePeriodTests
{
    [Test]
    public void A_grace_period_is_read_from_an_int_a_long_and_parsed_json_and_nothing_else()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PodController.Seconds(JsonValue.Create(30)), Is.EqualTo(30));
            Assert.That(PodController.Seconds(JsonValue.Create(0L)), Is.EqualTo(0));
            Assert.That(PodController.Seconds(JsonNode.Parse("{\"s\":5}")!["s"]), Is.EqualTo(5));
            Assert.That(PodController.Seconds(JsonValue.Create("5")), Is.Null);
            Assert.That(PodController.Seconds(null), Is.Null);
        });
    }
}
