using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.OpenShift;

/// <summary>OpenShift 3 node hosts (seed 003): its profile section; its targets are added here.</summary>
public sealed class OpenShiftModule : ProductModule<OpenShiftSettings>;
