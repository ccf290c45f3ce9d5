using KubeRunbooks.Frosting;
using KubeRunbooks.Build;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Tasks.Common;

// The runbook host: tasks and product modules come from KubeRunbooks.Tasks; a simulated profile starts the embedded cluster.
return new RunbookHost()
    .AddAssembly(typeof(ClusterInfoTask).Assembly)
    .UseRunbooks<EmbeddedClusterFactory>()
    .UseProductsFrom(typeof(ClusterInfoTask).Assembly)
    .UseSetup<AccessCheckSetup>()
    .Run(args);
