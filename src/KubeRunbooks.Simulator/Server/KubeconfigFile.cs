using System.Text;

namespace KubeRunbooks.Simulator.Server;

/// <summary>Writes a kubeconfig for the simulated cluster (one cluster, one token user, one context), readable only by its owner.</summary>
internal static class KubeconfigFile
{
    public static void Write(string path, string contextName, string server, string token, string caPem)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server}")
            .AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}")
            .AppendLine("users:")
            .AppendLine($"- name: {contextName}-admin")
            .AppendLine("  user:")
            .AppendLine($"    token: {token}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {contextName}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {contextName}")
            .AppendLine($"    user: {contextName}-admin")
            .AppendLine("    namespace: default")
            .AppendLine($"current-context: {contextName}")
            .ToString();
        // The file holds the token: create it owner-only before writing.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
