using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>Exastro IT Automation (seed 001): its profile section; its targets are added here.</summary>
public sealed class ExastroModule : ProductModule<ExastroSettings>;
