using k8s.Models;
using KubeRunbooks.Kubernetes.Containers;

namespace KubeRunbooks.Tests.Kubernetes.Containers;

[TestFixture]
public class ContainerStatesTests
{
    private static V1Pod Pod(V1ContainerState state, V1ContainerState? last = null, int restarts = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = "vantiq-0" },
        Status = new V1PodStatus
        {
            InitContainerStatuses = [new V1ContainerStatus { Name = "load-model", State = state, LastState = last, RestartCount = restarts }],
            ContainerStatuses = [new V1ContainerStatus { Name = "vantiq", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "PodInitializing" } } }],
        },
    };

    private static V1ContainerState Waiting => new() { Waiting = new V1ContainerStateWaiting { Reason = "PodInitializing" } };

    private static V1ContainerState Running => new() { Running = new V1ContainerStateRunning() };

    private static V1ContainerState Exited(int code) => new() { Terminated = new V1ContainerStateTerminated { ExitCode = code, Reason = code == 0 ? "Completed" : "Error" } };

    [Test]
    public void Started_once_running_or_terminated()
    {
        Assert.That(ContainerStates.HasStarted(Pod(Waiting), "load-model"), Is.False);
        Assert.That(ContainerStates.HasStarted(Pod(Running), "load-model"), Is.True);
        Assert.That(ContainerStates.HasStarted(Pod(Exited(0)), "load-model"), Is.True);
        Assert.That(ContainerStates.HasStarted(Pod(Running), "absent"), Is.False);
        Assert.That(ContainerStates.HasStarted(Pod(Waiting), "vantiq"), Is.False);
    }

    [Test]
    public void Termination_from_the_current_state()
    {
        Assert.That(ContainerStates.Termination(Pod(Exited(3)), "load-model", 0)?.ExitCode, Is.EqualTo(3));
        Assert.That(ContainerStates.Termination(Pod(Running), "load-model", 0), Is.Null);
    }

    [Test]
    public void Termination_from_the_last_state_after_a_restart()
    {
        // A failed init container goes back to waiting (CrashLoopBackOff) with its exit in lastState.
        var pod = Pod(Waiting, last: Exited(1), restarts: 1);
        Assert.That(ContainerStates.Termination(pod, "load-model", 0)?.ExitCode, Is.EqualTo(1));
        Assert.That(ContainerStates.Termination(pod, "load-model", 1), Is.Null, "an exit from before the followed run does not count");
    }
}
