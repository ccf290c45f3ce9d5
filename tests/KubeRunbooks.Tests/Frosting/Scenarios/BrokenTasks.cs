using Cake.Core;
using Cake.Frosting;

namespace KubeRunbooks.Tests.Frosting.Scenarios.Duplicate
{
    [TaskName("Same")]
    public sealed class First : FrostingTask
    {
        public override void Run(ICakeContext context) { }
    }

    [TaskName("same")]
    public sealed class Second : FrostingTask
    {
        public override void Run(ICakeContext context) { }
    }
}

namespace KubeRunbooks.Tests.Frosting.Scenarios.InvalidDependency
{
    [IsDependentOn(typeof(string))]
    public sealed class Default : FrostingTask
    {
        public override void Run(ICakeContext context) { }
    }
}
