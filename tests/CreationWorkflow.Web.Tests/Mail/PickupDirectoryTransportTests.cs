using MimeKit;
using static CreationWorkflow.Web.Tests.Mail.MailTestData;

namespace CreationWorkflow.Web.Tests.Mail;

/// <summary>Pickup mode (no SMTP host): one .eml file per Message-ID, written atomically, replaced on a resend.</summary>
public sealed class PickupDirectoryTransportTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private SqliteTestDatabase database = null!;
    private string Pickup => Path.Combine(database.Root, "mail-pickup");

    public async Task InitializeAsync() => database = await SqliteTestDatabase.CreateAsync();

    public Task DisposeAsync()
    {
        database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Messages_become_eml_files_named_by_message_id_that_mimekit_parses_and_a_resend_replaces_its_file()
    {
        var stored = await AddAsync(database, Enumerable.Range(1, 3).Select(i => Message(i, clock.GetUtcNow())));
        var options = new MailOptions { PickupDirectory = Pickup, From = From };
        Assert.True(options.UsesPickupDirectory);

        await using (var db = database.NewContext())
        {
            Assert.Equal(new OutboxDispatchResult(3, 0, 0, 1), await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None));
        }
        var expected = stored.Select(m => m.MessageId.Trim('<', '>') + ".eml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Directory.GetFiles(Pickup).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        foreach (var row in stored)
        {
            var file = Path.Combine(Pickup, PickupDirectoryTransport.FileNameFor(row.MessageId));
            using var mail = await MimeMessage.LoadAsync(file);
            Assert.Equal(row.MessageId.Trim('<', '>'), mail.MessageId);
            Assert.Equal(row.Subject, mail.Subject);
            Assert.Equal(Normalise(row.BodyText), Normalise(mail.TextBody));
            Assert.Equal(row.To, Assert.Single(mail.To.Mailboxes).Address);
        }

        // A crash after writing but before recording "Sent": the message is still claimed, then due again when the
        // claim times out, and is written again, to the same file.
        var before = await File.ReadAllBytesAsync(Path.Combine(Pickup, expected[0]));
        await using (var db = database.NewContext())
        {
            await db.Outbox.Where(m => m.Id == stored[0].Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Pending));
            Assert.Equal(new OutboxDispatchResult(0, 0, 0, 0), await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None));
            clock.Advance(options.ClaimTimeout);
            Assert.Equal(new OutboxDispatchResult(1, 0, 0, 1), await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None));
        }
        Assert.Equal(expected, Directory.GetFiles(Pickup).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(Pickup, expected[0])));
    }

    [Theory]
    [InlineData("<abc123@creationworkflow>", "abc123@creationworkflow.eml")]
    [InlineData("a/b\\c:d*e?f\"g<h>i|j@x", "a_b_c_d_e_f_g_h_i_j@x.eml")]
    [InlineData("<../../etc/passwd@x>", "_.._etc_passwd@x.eml")]
    [InlineData("<督办@x>", "__@x.eml")]
    public void File_names_keep_only_safe_characters(string messageId, string fileName) =>
        Assert.Equal(fileName, PickupDirectoryTransport.FileNameFor(messageId));
}
