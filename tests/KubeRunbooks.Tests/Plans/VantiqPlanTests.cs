using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tasks.Vantiq;

namespace KubeRunbooks.Tests.Plans;

/// <summary>The decisions of the Vantiq plans, from installs built in memory (no cluster).</summary>
public sealed class VantiqPlanTests
{
    public sealed class TheDecideMethod
    {
        [Test]
        public void Opens_an_operation_when_nothing_is_unfinished()
        {
            var decision = new VantiqPlanFixture().Decide(VantiqTargets.UpgradeMinor, "1.31.0");

            Assert.That(decision.Action, Is.EqualTo(LedgerAction.Open));
        }

        [Test]
        public void Resumes_the_same_target_with_the_same_version_given_with_a_v()
        {
            var fixture = new VantiqPlanFixture { Unfinished = VantiqPlanFixture.Record(VantiqTargets.UpgradeMinor, "1.30.4", "1.31.0", "vantiq/vantiq-server:1.30.4") };

            var decision = fixture.Decide("upgrademinor", "v1.31.0");

            Assert.That(decision.Action, Is.EqualTo(LedgerAction.Resume));
            Assert.That(decision.Resumed, Is.SameAs(fixture.Unfinished));
        }

        [Test]
        public void Refuses_the_same_target_for_another_version_naming_the_ways_out()
        {
            var fixture = new VantiqPlanFixture { Unfinished = VantiqPlanFixture.Record(VantiqTargets.UpgradeMinor, "1.30.4", "1.31.0", "vantiq/vantiq-server:1.30.4") };

            var refused = Assert.Throws<InvalidInputException>(() => fixture.Decide(VantiqTargets.UpgradeMinor, "1.32.0"));

            Assert.That(refused!.Message, Does.Contain("run that target again to resume it").And.Contain("RollbackMinor to return to 1.30.4").And.Contain("--fresh"));
        }

        [Test]
        public void Refuses_another_target_that_may_not_replace_it()
        {
            var fixture = new VantiqPlanFixture { Unfinished = VantiqPlanFixture.Record(VantiqTargets.UpgradeMinor, "1.30.4", "1.31.0", "vantiq/vantiq-server:1.30.4") };

            Assert.Throws<InvalidInputException>(() => fixture.Decide(VantiqTargets.MongoRestore));
        }

        [Test]
        public void Lets_a_rollback_replace_it()
        {
            var fixture = new VantiqPlanFixture { Unfinished = VantiqPlanFixture.Record(VantiqTargets.UpgradeMinor, "1.30.4", "1.31.0", "vantiq/vantiq-server:1.30.4") };

            Assert.That(fixture.Decide(VantiqTargets.RollbackMinor, mayReplace: true).Action, Is.EqualTo(LedgerAction.Replace));
        }

        [Test]
        public void Opens_a_new_one_with_fresh()
        {
            var fixture = new VantiqPlanFixture { Unfinished = VantiqPlanFixture.Record(VantiqTargets.UpgradeMinor, "1.30.4", "1.31.0", "vantiq/vantiq-server:1.30.4") };

            Assert.That(fixture.Decide(VantiqTargets.MongoRestore, fresh: true).Action, Is.EqualTo(LedgerAction.Open));
        }
    }

    public sealed class TheUpgradeMinorPlan
    {
        [Test]
        public void Goes_from_the_running_version_and_opens_an_operation_with_from_to_and_image()
        {
            var fixture = new VantiqPlanFixture();

            var plan = UpgradeMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.UpgradeMinor, "1.31.0"), "1.31.0");

            Assert.That(plan.From.ToString(), Is.EqualTo("1.30.4"));
            Assert.That(plan.To!.ToString(), Is.EqualTo("1.31.0"));
            Assert.That(plan.Opens!.Inputs, Is.EquivalentTo(new Dictionary<string, string>
            {
                [VantiqLedgerKeys.From] = "1.30.4", [VantiqLedgerKeys.To] = "1.31.0", [VantiqLedgerKeys.FromImage] = "vantiq/vantiq-server:1.30.4",
            }));
            Assert.That(plan.LockNamespace, Is.EqualTo("vantiq"));
            Assert.That((plan.StopsVantiq, plan.RecordsPreviousImage, plan.BackupBelongsToOperation, plan.BackupJobSuffix), Is.EqualTo((true, true, true, "upgrade")));
            Assert.That(plan.RerunCommand, Is.EqualTo("./build.sh --target=UpgradeMinor --cluster=prod --to=1.31.0"));
        }

        [Test]
        public void Resumed_goes_from_the_recorded_version_and_opens_nothing()
        {
            // A killed run left the server half-upgraded: the image already says 1.31.0.
            var fixture = new VantiqPlanFixture
            {
                CurrentImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.31.0"),
                Unfinished = VantiqPlanFixture.Record(VantiqTargets.UpgradeMinor, "1.30.4", "1.31.0", "vantiq/vantiq-server:1.30.4"),
            };

            var plan = UpgradeMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.UpgradeMinor, "1.31.0"), "1.31.0");

            Assert.That(plan.From.ToString(), Is.EqualTo("1.30.4"));
            Assert.That(plan.FromImage.ToString(), Is.EqualTo("vantiq/vantiq-server:1.30.4"));
            Assert.That(plan.Resumed, Is.Not.Null);
            Assert.That(plan.Opens, Is.Null);
        }

        [Test]
        public void Requires_to()
        {
            var fixture = new VantiqPlanFixture();

            var refused = Assert.Throws<InvalidInputException>(() => UpgradeMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.UpgradeMinor), null));

            Assert.That(refused!.Message, Does.StartWith("--to=X.Y.Z is required"));
        }

        [TestCase("1.30.5")]
        [TestCase("2.0.0")]
        [TestCase("1.29.0")]
        public void Refuses_what_is_not_a_minor_bump(string to)
        {
            var fixture = new VantiqPlanFixture();

            Assert.Throws<InvalidInputException>(() => UpgradeMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.UpgradeMinor, to), to));
        }
    }

    public sealed class TheUpgradePatchPlan
    {
        [Test]
        public void Takes_a_patch_bump_without_downtime_and_keeps_the_replaced_image()
        {
            var fixture = new VantiqPlanFixture();

            var plan = UpgradePatchPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.UpgradePatch, "1.30.5"), "1.30.5");

            Assert.That(plan.To!.ToString(), Is.EqualTo("1.30.5"));
            Assert.That((plan.StopsVantiq, plan.RecordsPreviousImage, plan.RecordsOperation), Is.EqualTo((false, true, true)));
            Assert.That(plan.RerunCommand, Is.EqualTo("./build.sh --target=UpgradePatch --cluster=prod --to=1.30.5"));
        }

        [Test]
        public void Refuses_a_minor_bump()
        {
            var fixture = new VantiqPlanFixture();

            Assert.Throws<InvalidInputException>(() => UpgradePatchPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.UpgradePatch, "1.31.0"), "1.31.0"));
        }
    }

    public sealed class TheRollbackMinorPlan
    {
        [Test]
        public void Returns_to_the_recorded_image_with_the_recorded_backup()
        {
            var fixture = new VantiqPlanFixture
            {
                CurrentImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.31.0"),
                PreviousImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.30.4"),
                RecordedBackup = "mongobackup-upgrade-1",
            };

            var plan = RollbackMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackMinor, mayReplace: true), null, null);

            Assert.That(plan.To!.ToString(), Is.EqualTo("1.30.4"));
            Assert.That(plan.RestoreBackupId, Is.EqualTo("mongobackup-upgrade-1"));
            Assert.That((plan.StopsVantiq, plan.UsesUpRollbackRecords), Is.EqualTo((true, true)));
        }

        [Test]
        public void Beside_an_unfinished_upgrade_returns_to_its_start_with_the_backup_it_took()
        {
            var fixture = new VantiqPlanFixture
            {
                CurrentImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.31.0"),
                PreviousImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.29.9"),
                RecordedBackup = "mongobackup-older",
                Unfinished = VantiqPlanFixture.Record(VantiqTargets.UpgradeMinor, "1.30.4", "1.31.0", "vantiq/vantiq-server:1.30.4", backup: "mongobackup-upgrade-2"),
            };

            var plan = RollbackMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackMinor, mayReplace: true), null, null);

            Assert.That(plan.Ledger.Action, Is.EqualTo(LedgerAction.Replace));
            Assert.That(plan.To!.ToString(), Is.EqualTo("1.30.4"));
            Assert.That(plan.RestoreBackupId, Is.EqualTo("mongobackup-upgrade-2"));
        }

        [Test]
        public void Given_backup_and_to_win_over_the_records()
        {
            var fixture = new VantiqPlanFixture
            {
                CurrentImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.31.0"),
                PreviousImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.30.4"),
                RecordedBackup = "mongobackup-upgrade-1",
            };

            var plan = RollbackMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackMinor, "1.30.1", mayReplace: true), "1.30.1", "mongobackup-manual-7");

            Assert.That(plan.To!.ToString(), Is.EqualTo("1.30.1"));
            Assert.That(plan.RestoreBackupId, Is.EqualTo("mongobackup-manual-7"));
        }

        [Test]
        public void Without_a_recorded_image_asks_for_to()
        {
            var fixture = new VantiqPlanFixture { RecordedBackup = "b" };

            var refused = Assert.Throws<InvalidInputException>(() => RollbackMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackMinor, mayReplace: true), null, null));

            Assert.That(refused!.Message, Does.Contain("No previous image is recorded on").And.Contain("--to=X.Y.Z"));
        }

        [Test]
        public void Without_a_recorded_backup_asks_for_backup()
        {
            var fixture = new VantiqPlanFixture { CurrentImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.31.0") };

            var refused = Assert.Throws<InvalidInputException>(() => RollbackMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackMinor, "1.30.4", mayReplace: true), "1.30.4", null));

            Assert.That(refused!.Message, Does.Contain("No backup is recorded").And.Contain("--backup=ID"));
        }

        [Test]
        public void Refuses_a_version_later_than_the_running_one()
        {
            var fixture = new VantiqPlanFixture();

            var refused = Assert.Throws<InvalidInputException>(() => RollbackMinorPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackMinor, "1.31.0", mayReplace: true), "1.31.0", "b"));

            Assert.That(refused!.Message, Does.Contain("is not earlier than the running 1.30.4"));
        }
    }

    public sealed class TheRollbackPatchPlan
    {
        [Test]
        public void Returns_to_the_recorded_earlier_patch_and_uses_up_the_image_record()
        {
            var fixture = new VantiqPlanFixture { PreviousImage = KubeRunbooks.Kubernetes.Workloads.ImageReference.Parse("vantiq/vantiq-server:1.30.2") };

            var plan = RollbackPatchPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackPatch, mayReplace: true), null);

            Assert.That(plan.To!.ToString(), Is.EqualTo("1.30.2"));
            Assert.That((plan.StopsVantiq, plan.UsesUpPreviousImage), Is.EqualTo((false, true)));
        }

        [TestCase("1.29.9")]
        [TestCase("1.30.4")]
        [TestCase("1.30.5")]
        public void Refuses_what_is_not_an_earlier_patch_of_the_running_minor(string to)
        {
            var fixture = new VantiqPlanFixture();

            var refused = Assert.Throws<InvalidInputException>(() => RollbackPatchPlan.For(fixture.Install(), fixture.Decide(VantiqTargets.RollbackPatch, to, mayReplace: true), to));

            Assert.That(refused!.Message, Does.Contain("is not an earlier patch of the running 1.30.4"));
        }
    }

    public sealed class TheMongoPlans
    {
        [Test]
        public void A_backup_changes_no_workload_so_records_no_operation()
        {
            var fixture = new VantiqPlanFixture();

            var plan = new MongoBackupPlan
            {
                Install = fixture.Install(), Target = VantiqTargets.MongoBackup, Ledger = fixture.Decide(VantiqTargets.MongoBackup),
                From = fixture.Install().CurrentVersion, FromImage = fixture.CurrentImage,
            };

            Assert.That(plan.Opens, Is.Null);
            Assert.That((plan.StopsVantiq, plan.BackupJobSuffix), Is.EqualTo((false, "manual")));
        }

        [Test]
        public void A_restore_requires_backup_and_reruns_with_it()
        {
            var fixture = new VantiqPlanFixture();

            Assert.Throws<InvalidInputException>(() => MongoRestorePlan.For(fixture.Install(), fixture.Decide(VantiqTargets.MongoRestore), null));
            var plan = MongoRestorePlan.For(fixture.Install(), fixture.Decide(VantiqTargets.MongoRestore), "mongobackup-manual-3");

            Assert.That(plan.StopsVantiq, Is.True);
            Assert.That(plan.Opens!.Target, Is.EqualTo(VantiqTargets.MongoRestore));
            Assert.That(plan.RerunCommand, Is.EqualTo("./build.sh --target=MongoRestore --cluster=prod --backup=mongobackup-manual-3"));
            Assert.That(plan.RollbackCommand("b1"), Is.EqualTo("./build.sh --target=RollbackMinor --cluster=prod --backup=b1"));
        }
    }
}
