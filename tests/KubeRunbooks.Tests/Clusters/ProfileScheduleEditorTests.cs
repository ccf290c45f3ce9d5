using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Yaml;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Tests.Clusters;

/// <summary>--save-profile's edit of a profile's text: values set in place, comments and layout kept, read back checked.</summary>
[TestFixture]
public sealed class ProfileScheduleEditorTests
{
    private static WeeklySchedule Parse(string text) => WeeklySchedule.TryParse(text, out var s, out var e) ? s : throw new ArgumentException(e);

    [Test]
    public void Existing_keys_are_replaced_in_place_with_their_comments()
    {
        const string Text = "# top\nconnection:\n  inCluster: true\nschedule: Sun=01:00:00   # weekly\nbackups:\n  folder: b  # here\n  retention: 1 # gens\nkamonohashi: {}\n";

        var edited = ProfileScheduleEditor.Apply("p.yaml", Text, Parse("Mon=02:00:00;Tue=03:00:00"), 7, TestProducts.Sections);

        Assert.That(edited, Is.EqualTo("# top\nconnection:\n  inCluster: true\nschedule: Mon=02:00:00;Tue=03:00:00   # weekly\nbackups:\n  folder: b  # here\n  retention: 7 # gens\nkamonohashi: {}\n"));
    }

    [Test]
    public void Missing_keys_are_added_and_a_commented_out_key_is_left_alone()
    {
        const string Text = "connection:\n  inCluster: true\n# schedule: Sun=01:00:00\nbackups:\n    folder: b\nkamonohashi: {}\n";

        var edited = ProfileScheduleEditor.Apply("p.yaml", Text, Parse("Sat=00:00:00"), 2, TestProducts.Sections);

        Assert.That(edited, Is.EqualTo("connection:\n  inCluster: true\n# schedule: Sun=01:00:00\nbackups:\n    retention: 2\n    folder: b\nkamonohashi: {}\nschedule: Sat=00:00:00\n"));
    }

    [Test]
    public void A_profile_without_backups_gets_the_section_and_crlf_stays_crlf()
    {
        var edited = ProfileScheduleEditor.Apply("p.yaml", "connection:\r\n  inCluster: true\r\n", null, 3, TestProducts.Sections);

        Assert.That(edited, Is.EqualTo("connection:\r\n  inCluster: true\r\nbackups:\r\n  retention: 3\r\n"));
    }

    [Test]
    public void A_one_line_backups_section_is_refused_rather_than_rewritten()
    {
        var e = Assert.Throws<InvalidInputException>(() => ProfileScheduleEditor.Apply("p.yaml", "connection:\n  inCluster: true\nbackups: { folder: b }\n", null, 3, TestProducts.Sections));

        Assert.That(e!.Message, Does.StartWith("p.yaml:3: backups is written on one line"));
    }

    [Test]
    public void Only_the_given_value_changes()
    {
        const string Text = "connection:\n  inCluster: true\nschedule: Sun=01:00:00\n";

        Assert.That(ProfileScheduleEditor.Apply("p.yaml", Text, null, null, TestProducts.Sections), Is.EqualTo(Text));
        Assert.That(ProfileScheduleEditor.Apply("p.yaml", Text, Parse("Sun=01:00:00"), null, TestProducts.Sections), Is.EqualTo(Text));
    }
}
