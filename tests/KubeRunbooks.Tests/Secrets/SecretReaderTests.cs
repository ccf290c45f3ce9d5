using Cake.Core;
using KubeRunbooks.Errors;
using KubeRunbooks.Reporting;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tests.Secrets;

/// <summary>A new secret from a file, a variable or a prompt without echo; never an argument; refused on CI with no source.</summary>
[TestFixture]
public sealed class SecretReaderTests
{
    private static readonly SecretPrompt Db = new("DB Password", "KUBERUNBOOKS_DB_PASSWORD", "db-password-file");

    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "kr-secret-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static ICakeArguments Args(params (string Key, string Value)[] pairs) =>
        new CakeArguments(pairs.ToLookup(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));

    private SecretReader Reader(ICakeArguments args, IReadOnlyDictionary<string, string>? env = null, ScriptedConsole? console = null, string? ci = null, SecretMasker? masker = null) =>
        new(args, name => env?.GetValueOrDefault(name), console ?? new ScriptedConsole(interactive: false), ci, masker ?? new SecretMasker(), _folder);

    [Test]
    public void The_prompt_shows_the_seed_label_and_the_typed_value_is_returned_and_masked()
    {
        var console = new ScriptedConsole(interactive: true, "n3w-Pässwörd");
        var masker = new SecretMasker();

        var value = Reader(Args(), console: console, masker: masker).Read(Db);

        Assert.That(value, Is.EqualTo("n3w-Pässwörd"));
        Assert.That(console.Prompts, Is.EqualTo(new[] { "DB Password: " }));
        Assert.That(masker.Mask("value n3w-Pässwörd here"), Is.EqualTo("value *** here"));
    }

    [Test]
    public void A_file_wins_over_the_variable_and_the_prompt_and_loses_one_line_end_only()
    {
        File.WriteAllText(Path.Combine(_folder, "pw"), "  from file \n");
        var console = new ScriptedConsole(interactive: true, "typed");
        var env = new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = "from-env" };

        var value = Reader(Args(("db-password-file", "pw")), env, console).Read(Db);

        Assert.That(value, Is.EqualTo("  from file "));
        Assert.That(console.Prompts, Is.Empty, "no prompt when a file is given");
    }

    [Test]
    public void A_crlf_file_loses_its_crlf()
    {
        File.WriteAllText(Path.Combine(_folder, "pw"), "abc\r\n");
        Assert.That(Reader(Args(("db-password-file", Path.Combine(_folder, "pw")))).Read(Db), Is.EqualTo("abc"));
    }

    [Test]
    public void The_variable_is_used_without_a_terminal_and_on_a_ci_runner()
    {
        var env = new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = "from-env" };
        var masker = new SecretMasker();

        Assert.That(Reader(Args(), env, ci: "GitHubActions", masker: masker).Read(Db), Is.EqualTo("from-env"));
        Assert.That(masker.Mask("from-env"), Is.EqualTo("***"));
    }

    [Test]
    public void On_a_ci_runner_with_no_file_or_variable_it_is_one_line_naming_the_variable_and_no_prompt()
    {
        var console = new ScriptedConsole(interactive: true, "never read");

        var e = Assert.Throws<InvalidInputException>(() => Reader(Args(), console: console, ci: "GitHubActions").Read(Db));

        Assert.That(e!.Message, Is.EqualTo("DB Password is needed and no one can type it on this GitHubActions runner: set KUBERUNBOOKS_DB_PASSWORD (a secret variable) or pass --db-password-file=PATH."));
        Assert.That(console.Prompts, Is.Empty);
    }

    [Test]
    public void With_no_terminal_and_no_file_or_variable_it_is_one_line_naming_the_variable()
    {
        var e = Assert.Throws<InvalidInputException>(() => Reader(Args()).Read(Db));

        Assert.That(e!.Message, Does.Contain("there is no terminal to ask on: set KUBERUNBOOKS_DB_PASSWORD"));
    }

    [Test]
    public void A_value_on_the_command_line_is_refused_and_masked_even_so()
    {
        var masker = new SecretMasker();

        var e = Assert.Throws<InvalidInputException>(() => Reader(Args(("db-password", "leaked-pw")), masker: masker).Read(Db));

        Assert.That(e!.Message, Does.Contain("never taken from the command line (--db-password)").And.Not.Contain("leaked-pw"));
        Assert.That(masker.Mask("leaked-pw"), Is.EqualTo("***"));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void An_empty_value_is_refused_from_each_source(string empty)
    {
        File.WriteAllText(Path.Combine(_folder, "pw"), empty + "\n");
        Assert.That(() => Reader(Args(("db-password-file", "pw"))).Read(Db), Throws.TypeOf<InvalidInputException>().With.Message.Contains("from the file pw is empty"));
        Assert.That(() => Reader(Args(), new Dictionary<string, string> { ["KUBERUNBOOKS_DB_PASSWORD"] = empty }).Read(Db),
            Throws.TypeOf<InvalidInputException>().With.Message.Contains("from the variable KUBERUNBOOKS_DB_PASSWORD is empty"));
        Assert.That(() => Reader(Args(), console: new ScriptedConsole(interactive: true, empty)).Read(Db),
            Throws.TypeOf<InvalidInputException>().With.Message.Contains("from the prompt is empty"));
    }

    [Test]
    public void A_missing_file_is_one_line_without_the_path_contents()
    {
        var e = Assert.Throws<InvalidInputException>(() => Reader(Args(("db-password-file", "nosuch"))).Read(Db));

        Assert.That(e!.Message, Is.EqualTo("--db-password-file=nosuch: the file cannot be read (FileNotFoundException)."));
    }

    [Test]
    public void Input_that_ends_at_the_prompt_is_refused()
    {
        Assert.That(() => Reader(Args(), console: new ScriptedConsole(interactive: true)).Read(Db),
            Throws.TypeOf<InvalidInputException>().With.Message.EqualTo("DB Password was not given (input ended)."));
    }

    /// <summary>A terminal that answers prompts from a script and records them.</summary>
    private sealed class ScriptedConsole(bool interactive, params string[] answers) : ISecretConsole
    {
        private readonly Queue<string> _answers = new(answers);

        public List<string> Prompts { get; } = [];

        public bool IsInteractive => interactive;

        public string? ReadHidden(string prompt)
        {
            Prompts.Add(prompt);
            return _answers.TryDequeue(out var answer) ? answer : null;
        }
    }
}
