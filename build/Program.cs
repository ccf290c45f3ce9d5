using Cake.Frosting;
using KubeRunbooks.Build;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Tasks.Common;

// The runbook host: tasks come from KubeRunbooks.Tasks; a simulated profile starts the embedded cluster.
return new CakeHost()
    .AddAssembly(typeof(ClusterInfoTask).Assembly)
    .UseRunbooks<EmbeddedClusterFactory>()
    .Run(args);
