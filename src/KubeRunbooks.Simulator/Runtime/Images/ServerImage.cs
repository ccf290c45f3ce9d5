using System.Reflection;

namespace KubeRunbooks.Simulator.Runtime.Images;

/// <summary>
/// A database image the runtime runs for real: the server from a Debian package, started by an entrypoint
/// script that configures it from the pod's env as the image does (see the <c>.sh</c> files beside this one).
/// </summary>
/// <param name="Name">The server, as messages name it (PostgreSQL, MariaDB, Redis).</param>
/// <param name="Package">The Debian package that provides the server.</param>
/// <param name="Executable">A file the package installs (a glob segment <c>*</c> allowed), to tell whether it is there.</param>
/// <param name="Script">The entrypoint script's resource name.</param>
/// <param name="User">The machine user the server runs as (created by the package).</param>
/// <param name="Port">The port the image listens on.</param>
/// <param name="DataDirectory">Where the image keeps its data.</param>
/// <param name="Home">The image's <c>HOME</c>.</param>
/// <param name="StopSignal">The image's stop signal (PostgreSQL's is SIGINT, a fast shutdown).</param>
public sealed record ServerImage(string Name, string Package, string Executable, string Script, string User, int Port,
    string DataDirectory, string Home, int StopSignal)
{
    /// <summary>True when the server's package is installed on this machine.</summary>
    public bool IsInstalled
    {
        get
        {
            var star = Executable.IndexOf('*');
            if (star < 0) return File.Exists(Executable);
            var parent = Path.GetDirectoryName(Executable[..star])!;
            var rest = Executable[(Executable.IndexOf('/', star) + 1)..];
            return Directory.Exists(parent) && Directory.EnumerateDirectories(parent).Any(d => File.Exists(Path.Combine(d, rest)));
        }
    }

    /// <summary>The message of a pod whose server is not installed, worded as a failed image pull.</summary>
    public string NotInstalledMessage(string image) =>
        $"Failed to pull image \"{image}\": {Name} is not installed on this machine (Debian package {Package}; ./test.sh installs it, or apt-get install -y {Package})";

    /// <summary>The entrypoint script.</summary>
    public string ScriptText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Script)
            ?? throw new InvalidOperationException($"missing resource {Script}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
