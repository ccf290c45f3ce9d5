using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tests.Runbooks.Kit;

/// <summary>A plan reads the unfinished operation from a workload's annotations: none, a record, or a damaged one refused as bad input.</summary>
[TestFixture]
public sealed class UnfinishedFromTests
{
    private static readonly WorkloadRef Anchor = WorkloadRef.Deployment("apps", "proxy");

    [Test]
    public void No_annotation_is_no_unfinished_operation()
    {
        Assert.That(OperationLedger.UnfinishedFrom(new Dictionary<string, string>(), Anchor), Is.Null);
    }

    [Test]
    public void A_record_is_read()
    {
        var record = new OperationRecord { Target = "Restore", Run = "r1", StartedAt = DateTimeOffset.UnixEpoch };

        var read = OperationLedger.UnfinishedFrom(new Dictionary<string, string> { [AnnotationStore.Operation] = record.ToJson() }, Anchor);

        Assert.That(read!.Target, Is.EqualTo("Restore"));
    }

    [Test]
    public void A_damaged_record_is_invalid_input_naming_the_workload()
    {
        var refused = Assert.Throws<InvalidInputException>(() =>
            OperationLedger.UnfinishedFrom(new Dictionary<string, string> { [AnnotationStore.Operation] = "{not json" }, Anchor));

        Assert.That(refused!.Message, Does.Contain(Anchor.ToString()));
        Assert.That(refused.InnerException, Is.InstanceOf<InvalidDataException>());
    }
}
