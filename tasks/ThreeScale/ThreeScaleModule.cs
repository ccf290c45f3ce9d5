using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>Red Hat 3scale (seed 004): its profile section; its targets are added here.</summary>
public sealed class ThreeScaleModule : ProductModule<ThreeScaleSettings>;
