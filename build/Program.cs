using System.Reflection;
using Cake.Frosting;

// The runbook host: task classes come from this assembly and from KubeRunbooks.Tasks.
return new CakeHost()
    .AddAssembly(Assembly.Load("KubeRunbooks.Tasks"))
    .UseContext<FrostingContext>()
    .Run(args);
