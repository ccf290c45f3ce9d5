using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Tasks.Exastro;
using KubeRunbooks.Tasks.Kamonohashi;
using KubeRunbooks.Tasks.OpenShift;
using KubeRunbooks.Tasks.ThreeScale;
using KubeRunbooks.Tasks.Vantiq;
using KubeRunbooks.Clusters.Connection;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Tests.Clusters;

[TestFixture]
public sealed class ProfileCatalogTests
{
    private ProfileFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new ProfileFolder();

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private string File(string name) => Path.Combine(_folder.Clusters, name + ".yaml");

    private string LoadError(string yaml, string name = "prod")
    {
        _folder.Write(name, yaml);
        var error = Assert.Throws<InvalidInputException>(() => _folder.Catalog().Load(name))!;
        Assert.That(error.Message, Does.Not.Contain("\n"), "errors a user can cause are one line");
        return error.Message;
    }

    [Test]
    public void A_short_profile_gets_the_seed_names_as_defaults()
    {
        _folder.WriteKubeconfig(".kube/config", "prod-admin");
        _folder.Write("prod", "vantiq: {}\n");

        var profile = _folder.Catalog().Load("prod");

        var vantiq = profile.Product<VantiqSettings>()!;
        Assert.Multiple(() =>
        {
            Assert.That(profile.Name, Is.EqualTo("prod"));
            Assert.That(vantiq.Namespace, Is.EqualTo("vantiq"));
            Assert.That(vantiq.SharedNamespace, Is.EqualTo("shared"));
            Assert.That(vantiq.Server, Is.EqualTo(new ProfileWorkload("vantiq", 3)));
            Assert.That(vantiq.OptionalWorkloads.Select(w => (w.Name, w.Replicas, w.Optional)),
                Is.EqualTo(new[] { ("metrics-collector", 1, true), ("vision-analytics", 2, true) }));
            Assert.That(vantiq.BackupCronJob, Is.EqualTo("mongobackup"));
            Assert.That(vantiq.MigrationContainer, Is.EqualTo("load-model"));
            Assert.That(vantiq.Secrets.Ssl, Is.EqualTo("vantiq-ssl-cert"));
            Assert.That(vantiq.Secrets.IngressSsl, Is.EqualTo("default-ssl-cert"));
            Assert.That(vantiq.Deploy.PatchesImage, Is.True);
            Assert.That(profile.Timeouts.PodReady, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(profile.Backups.Retention, Is.EqualTo(1));
            Assert.That(profile.Product<KamonohashiSettings>(), Is.Null, "an absent section means the product is not installed");
        });
    }

    [Test]
    public void Every_key_is_read()
    {
        _folder.WriteKubeconfig("kc/other.yaml", "a", "b");
        _folder.Write("prod", """
            connection:
              kubeconfig: ~/kc/other.yaml
              context: b
            timeouts:
              default: 90s
              podReady: 00:02:00
              job: 1h30m
              rollout: 7m
              migration: 45m
              deploy: 1h
            backups:
              folder: ~/bk
              retention: 4
              keepDaily: 7
              keepWeekly: 4
              keepMonthly: 12
            schedule: Sun=01:00:00;wed=23:30:00
            vantiq:
              namespace: v2
              sharedNamespace: ingress
              statefulSet: vantiq-server
              replicas: 5
              optionalWorkloads:
                metrics-collector: 2
              backupCronJob: mb
              migrationContainer: migrate
              imageRepository: registry.local:5000/vantiq/server
              restoreCommand: mongorestore --archive=/x
              deploy:
                command: ./gradlew -Pcluster=prod deployVantiq
                workingDirectory: ~/tools
              secrets:
                ssl: s1
                ingressSsl: s2
                license: s3
              sensitiveFolder: ~/sensitive
              domain: vantiq.example.com
            kamonohashi:
              namespace: kqi
              appReplicas: 2
            exastro:
              storageClaim: pvc-x
            threescale:
              namespace: api
            openshift: {}
            """);

        var profile = _folder.Catalog().Load("prod");

        var v = profile.Product<VantiqSettings>()!;
        var home = _folder.Home;
        Assert.Multiple(() =>
        {
            Assert.That(profile.Connection.Kubeconfig, Is.EqualTo(Path.Combine(home, "kc/other.yaml")));
            Assert.That(profile.Connection.Context, Is.EqualTo("b"));
            Assert.That(profile.Timeouts, Is.EqualTo(new TimeoutSettings
            {
                Default = TimeSpan.FromSeconds(90), PodReady = TimeSpan.FromMinutes(2), Job = TimeSpan.FromMinutes(90),
                Rollout = TimeSpan.FromMinutes(7), Migration = TimeSpan.FromMinutes(45), Deploy = TimeSpan.FromHours(1),
            }));
            Assert.That(profile.Backups, Is.EqualTo(new BackupSettings { Folder = Path.Combine(home, "bk"), Retention = 4, KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 12 }));
            Assert.That(profile.Schedule.ToString(), Is.EqualTo("Sun=01:00:00;Wed=23:30:00"));
            Assert.That(v.Namespace, Is.EqualTo("v2"));
            Assert.That(v.SharedNamespace, Is.EqualTo("ingress"));
            Assert.That(v.Server, Is.EqualTo(new ProfileWorkload("vantiq-server", 5)));
            Assert.That(v.OptionalWorkloads, Is.EqualTo(new[] { new ProfileWorkload("metrics-collector", 2, Optional: true) }));
            Assert.That(v.BackupCronJob, Is.EqualTo("mb"));
            Assert.That(v.MigrationContainer, Is.EqualTo("migrate"));
            Assert.That(v.ImageRepository, Is.EqualTo("registry.local:5000/vantiq/server"));
            Assert.That(v.RestoreCommand, Is.EqualTo("mongorestore --archive=/x"));
            Assert.That(v.Deploy, Is.EqualTo(new DeploySettings { Command = "./gradlew -Pcluster=prod deployVantiq", WorkingDirectory = Path.Combine(home, "tools") }));
            Assert.That(v.Secrets, Is.EqualTo(new VantiqSecretNames { Ssl = "s1", IngressSsl = "s2", License = "s3" }));
            Assert.That(v.SensitiveFolder, Is.EqualTo(Path.Combine(home, "sensitive")));
            Assert.That(v.Domain, Is.EqualTo("vantiq.example.com"));
            Assert.That(profile.Product<KamonohashiSettings>()!.Namespace, Is.EqualTo("kqi"));
            Assert.That(profile.Product<KamonohashiSettings>()!.Application.Replicas, Is.EqualTo(2));
            Assert.That(profile.Product<ExastroSettings>()!.StorageClaim, Is.EqualTo("pvc-x"));
            Assert.That(profile.Product<ThreeScaleSettings>()!.Namespace, Is.EqualTo("api"));
            Assert.That(profile.Product<OpenShiftSettings>(), Is.Not.Null);
        });
    }

    [Test]
    public void Names_lists_the_yaml_files_sorted()
    {
        _folder.Write("zeta", "vantiq:\n");
        _folder.Write("alpha", "vantiq:\n");
        System.IO.File.WriteAllText(Path.Combine(_folder.Clusters, "notes.txt"), "x");

        Assert.That(_folder.Catalog().Names(), Is.EqualTo(new[] { "alpha", "zeta" }));
    }

    [Test]
    public void An_unknown_name_lists_the_profiles_that_exist()
    {
        _folder.Write("prod", "vantiq:\n");
        _folder.Write("staging", "vantiq:\n");

        var error = Assert.Throws<InvalidInputException>(() => _folder.Catalog().Load("nosuch"))!;

        Assert.That(error.Message, Is.EqualTo($"Unknown cluster profile 'nosuch': profiles in {_folder.Clusters}/: prod, staging"));
    }

    [Test]
    public void No_name_means_the_local_profile()
    {
        var error = Assert.Throws<InvalidInputException>(() => _folder.Catalog().Load(null))!;

        Assert.That(error.Message, Does.StartWith("Unknown cluster profile 'local'").And.EndWith("(none)"));
    }

    [TestCase("../x")]
    [TestCase("/etc/passwd")]
    [TestCase(".hidden")]
    [TestCase("a/b")]
    public void A_path_like_name_is_refused_before_touching_the_disk(string name)
    {
        var error = Assert.Throws<InvalidInputException>(() => _folder.Catalog().Load(name))!;

        Assert.That(error.Message, Does.StartWith($"'{name}' is not a profile name"));
    }

    [Test]
    public void An_empty_file_is_refused() =>
        Assert.That(LoadError(""), Is.EqualTo($"{File("prod")}:1: the profile is empty (it needs at least a connection section)"));

    [Test]
    public void An_unclosed_bracket_names_file_and_line() =>
        Assert.That(LoadError("vantiq:\n  namespace: [a, b\n  replicas: 3\n"),
            Is.EqualTo($"{File("prod")}:3: YAML syntax error: the file ends inside an unclosed [ ], {{ }} or quote"));

    [Test]
    public void A_bad_indentation_names_file_and_line() =>
        Assert.That(LoadError("vantiq:\n  namespace: v\n replicas: 3\n"), Does.Match($"^{System.Text.RegularExpressions.Regex.Escape(File("prod"))}:3: YAML syntax error: [^(]"));

    [Test]
    public void An_unknown_key_names_file_line_key_and_the_known_keys() =>
        Assert.That(LoadError("vantiq:\n  namespace: v\n  replica: 3\n"),
            Does.StartWith($"{File("prod")}:3: vantiq.replica: unknown key (known here: ").And.Contain("replicas"));

    [Test]
    public void An_unknown_top_level_key_is_refused() =>
        Assert.That(LoadError("vantiq: {}\nvantik: {}\n"), Does.StartWith($"{File("prod")}:2: vantik: unknown key"));

    [Test]
    public void A_word_where_a_number_belongs_is_refused() =>
        Assert.That(LoadError("connection:\n  simulator: {}\nvantiq:\n  replicas: abc\n"),
            Is.EqualTo($"{File("prod")}:4: vantiq.replicas: 'abc' is not a whole number"));

    [Test]
    public void A_list_where_a_value_belongs_is_refused() =>
        Assert.That(LoadError("vantiq:\n  namespace:\n    - a\n"),
            Is.EqualTo($"{File("prod")}:3: vantiq.namespace: expected a name, found a list"));

    [Test]
    public void A_list_at_the_top_level_is_refused() =>
        Assert.That(LoadError("- vantiq\n- kamonohashi\n"), Is.EqualTo($"{File("prod")}:1: (top level): expected a mapping of keys to values"));

    [Test]
    public void Two_documents_in_one_file_are_refused() =>
        Assert.That(LoadError("vantiq: {}\n---\nkamonohashi: {}\n"), Is.EqualTo($"{File("prod")}:3: a profile is one YAML document, found several"));

    [Test]
    public void A_value_where_a_section_belongs_is_refused() =>
        Assert.That(LoadError("vantiq: yes\n"), Is.EqualTo($"{File("prod")}:1: vantiq: expected a mapping of keys to values"));

    [Test]
    public void Negative_replicas_are_refused() =>
        Assert.That(LoadError("vantiq:\n  optionalWorkloads:\n    vision-analytics: -2\n"),
            Is.EqualTo($"{File("prod")}:3: vantiq.optionalWorkloads.vision-analytics: -2 is below the minimum 0"));

    [TestCase("keepDaily: -1", "backups.keepDaily: -1 is below the minimum 0")]
    [TestCase("keepWeekly: two", "backups.keepWeekly: 'two' is not a whole number")]
    [TestCase("keepMonthly: 1.5", "backups.keepMonthly: '1.5' is not a whole number")]
    [TestCase("retention: 0", "backups.retention: 0 is below the minimum 1")]
    public void A_bad_retention_generation_is_refused(string line, string expected) =>
        Assert.That(LoadError($"backups:\n  folder: b\n  {line}\n"), Is.EqualTo($"{File("prod")}:3: {expected}"));

    [Test]
    public void Zero_replicas_for_the_server_are_refused() =>
        Assert.That(LoadError("vantiq:\n  replicas: 0\n"), Is.EqualTo($"{File("prod")}:2: vantiq.replicas: 0 is below the minimum 1"));

    [TestCase("ten minutes")]
    [TestCase("-5m")]
    [TestCase("0s")]
    [TestCase("10")]
    public void A_bad_duration_is_refused(string duration) =>
        Assert.That(LoadError($"timeouts:\n  podReady: {duration}\n"),
            Is.EqualTo($"{File("prod")}:2: timeouts.podReady: '{duration}' is not a positive duration like 10m, 1h30m or 00:10:00"));

    [TestCase("Vantiq")]
    [TestCase("my_ns")]
    [TestCase("-vantiq")]
    public void A_namespace_that_is_not_dns_1123_is_refused(string name) =>
        Assert.That(LoadError($"vantiq:\n  namespace: {name}\n"),
            Does.StartWith($"{File("prod")}:2: vantiq.namespace: '{name}' is not a namespace name (DNS-1123"));

    [Test]
    public void A_bad_secret_name_is_refused() =>
        Assert.That(LoadError("vantiq:\n  secrets:\n    ssl: Bad Name\n"),
            Does.StartWith($"{File("prod")}:3: vantiq.secrets.ssl: 'Bad Name' is not an object name"));

    [Test]
    public void A_bad_schedule_is_refused() =>
        Assert.That(LoadError("schedule: Sunday=1am\n"),
            Is.EqualTo($"{File("prod")}:1: schedule: 'Sunday=1am' is not a slot like Sun=01:00:00: 'Sunday' is not a day (Sun, Mon, Tue, Wed, Thu, Fri, Sat)"));

    [Test]
    public void A_duplicated_key_is_refused() =>
        Assert.That(LoadError("vantiq:\n  replicas: 3\n  replicas: 4\n"), Does.StartWith($"{File("prod")}:").And.Contain("replicas"));

    [Test]
    public void An_image_repository_with_a_tag_is_refused() =>
        Assert.That(LoadError("vantiq:\n  imageRepository: vantiq/vantiq-server:1.2.3\n"),
            Does.StartWith($"{File("prod")}:2: vantiq.imageRepository: 'vantiq/vantiq-server:1.2.3' is not an image repository"));

    [Test]
    public void A_working_directory_without_a_command_is_refused() =>
        Assert.That(LoadError("vantiq:\n  deploy:\n    workingDirectory: /x\n"),
            Is.EqualTo($"{File("prod")}:3: vantiq.deploy: workingDirectory needs a command"));

    [Test]
    public void A_missing_kubeconfig_file_is_refused()
    {
        var message = LoadError("connection:\n  kubeconfig: ~/nowhere/config\n");

        Assert.That(message, Is.EqualTo(
            $"{File("prod")}:2: connection.kubeconfig: kubeconfig file '{Path.Combine(_folder.Home, "nowhere/config")}' does not exist"));
    }

    [Test]
    public void A_missing_default_kubeconfig_is_refused()
    {
        var message = LoadError("vantiq: {}\n");

        Assert.That(message, Does.StartWith($"{File("prod")}: connection (default kubeconfig): kubeconfig file '"));
    }

    [Test]
    public void A_context_absent_from_the_kubeconfig_is_refused_listing_those_present()
    {
        var kubeconfig = _folder.WriteKubeconfig(".kube/config", "dev", "staging");

        var message = LoadError("connection:\n  context: prod\n");

        Assert.That(message, Is.EqualTo($"{File("prod")}:2: connection.context: 'prod' is not in '{kubeconfig}' (contexts: dev, staging)"));
    }

    [Test]
    public void A_kubeconfig_that_is_not_yaml_is_refused_without_quoting_it()
    {
        var path = Path.Combine(_folder.Home, "broken");
        System.IO.File.WriteAllText(path, "token: [s3cr3t-value\n");

        var message = LoadError("connection:\n  kubeconfig: ~/broken\n");

        Assert.That(message, Is.EqualTo($"{File("prod")}:2: connection.kubeconfig: '{path}' is not a readable kubeconfig file"));
        Assert.That(message, Does.Not.Contain("s3cr3t"));
    }

    [Test]
    public void Both_in_cluster_and_kubeconfig_are_refused() =>
        Assert.That(LoadError("connection:\n  inCluster: true\n  kubeconfig: /x\n"),
            Is.EqualTo($"{File("prod")}:2: connection: choose one way to connect, found kubeconfig/context and inCluster"));

    [Test]
    public void In_cluster_outside_a_pod_is_refused()
    {
        Assume.That(k8s.KubernetesClientConfiguration.IsInCluster(), Is.False, "the tests themselves run outside a pod");
        Assert.That(LoadError("connection:\n  inCluster: true\n"),
            Does.StartWith($"{File("prod")}: connection.inCluster: this process is not running in a pod"));
    }

    [Test]
    public void A_kubeconfig_without_a_current_context_needs_one_named()
    {
        var kubeconfig = _folder.WriteKubeconfig(".kube/config");

        var message = LoadError("connection:\n  kubeconfig: ~/.kube/config\n");

        Assert.That(message, Is.EqualTo($"{File("prod")}: connection.context: '{kubeconfig}' has no current-context; name one of: (none)"));
    }

    [Test]
    public void A_bad_boolean_is_refused() =>
        Assert.That(LoadError("connection:\n  inCluster: maybe\n"),
            Is.EqualTo($"{File("prod")}:2: connection.inCluster: 'maybe' is not true or false"));

    [Test]
    public void The_kubeconfig_comes_from_KUBECONFIG_when_the_profile_names_none()
    {
        var path = _folder.WriteKubeconfig("elsewhere/kc", "ops");
        _folder.Environment["KUBECONFIG"] = path + Path.PathSeparator + "/absent-and-ignored";
        _folder.Write("prod", "vantiq: {}\n");

        var connection = ClusterConnection.Resolve(_folder.Catalog().Load("prod"), _folder.Environment.GetValueOrDefault, _folder.Home);

        Assert.Multiple(() =>
        {
            Assert.That(connection.Kind, Is.EqualTo(ConnectionKind.Kubeconfig));
            Assert.That(connection.Description, Is.EqualTo($"kubeconfig {path}, context ops"));
            Assert.That(connection.Configuration!.Host, Is.EqualTo("https://127.0.0.1:6443"));
        });
    }

    [Test]
    public void A_KUBECONFIG_list_finds_the_context_in_the_files_that_exist()
    {
        var first = _folder.WriteKubeconfig("a/kc", "dev");
        var second = _folder.WriteKubeconfig("b/kc", "ops");
        _folder.Environment["KUBECONFIG"] = string.Join(Path.PathSeparator, first, Path.Combine(_folder.Home, "absent"), second);
        _folder.Write("prod", "connection:\n  context: ops\n");

        var connection = ClusterConnection.Resolve(_folder.Catalog().Load("prod"), _folder.Environment.GetValueOrDefault, _folder.Home);

        Assert.That(connection.Configuration!.CurrentContext, Is.EqualTo("ops"));
        Assert.That(connection.Description, Is.EqualTo($"kubeconfig {second}, context ops"));
    }

    [Test]
    public void A_KUBECONFIG_naming_no_existing_file_is_refused()
    {
        _folder.Environment["KUBECONFIG"] = "/nowhere/a" + Path.PathSeparator + "/nowhere/b";

        var message = LoadError("vantiq: {}\n");

        Assert.That(message, Is.EqualTo($"{File("prod")}: KUBECONFIG: kubeconfig file '/nowhere/a' does not exist"));
    }

    [Test]
    public void A_named_context_is_used()
    {
        _folder.WriteKubeconfig(".kube/config", "dev", "prod-admin");
        _folder.Write("prod", "connection:\n  context: prod-admin\n");

        var connection = ClusterConnection.Resolve(_folder.Catalog().Load("prod"), _folder.Environment.GetValueOrDefault, _folder.Home);

        Assert.That(connection.Configuration!.CurrentContext, Is.EqualTo("prod-admin"));
        using var client = (k8s.Kubernetes)connection.CreateClient();
        Assert.That(client.BaseUri.Host, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public void A_simulated_profile_resolves_to_simulated_without_a_kubeconfig()
    {
        _folder.Write("sim", "connection:\n  simulator:\n    scenario: failing-backup\n    stateFolder: ~/state\n");

        var profile = _folder.Catalog().Load("sim");
        var connection = ClusterConnection.Resolve(profile, _folder.Environment.GetValueOrDefault, _folder.Home);

        Assert.Multiple(() =>
        {
            Assert.That(connection.IsSimulated, Is.True);
            Assert.That(connection.Configuration, Is.Null);
            Assert.That(connection.Simulator, Is.EqualTo(new SimulatorSettings { Scenario = "failing-backup", StateFolder = Path.Combine(_folder.Home, "state") }));
            Assert.That(connection.CreateClient, Throws.InvalidOperationException);
        });
    }
}
