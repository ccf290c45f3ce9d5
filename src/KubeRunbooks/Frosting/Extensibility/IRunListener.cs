namespace KubeRunbooks.Frosting;

/// <summary>
/// Told once about the outcome of a normal run or a dry run (not of --tree, --description,
/// --help, --version, --info, nor of a run refused before any target was looked up). Register any
/// number in DI (<c>services.AddSingleton&lt;IRunListener, MyListener&gt;()</c>); they are called
/// in registration order after Cake's summary table. A listener may print lines (for example the
/// report folder). A listener that throws is reported on stderr; it does not change the exit code.
/// </summary>
public interface IRunListener
{
    /// <summary>Called once when the run has finished, successfully or not.</summary>
    /// <param name="result">What ran and how it ended.</param>
    void OnRunFinished(RunResult result);
}
