using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>KAMONOHASHI (seed 000): its profile section; its targets are added here.</summary>
public sealed class KamonohashiModule : ProductModule<KamonohashiSettings>;
