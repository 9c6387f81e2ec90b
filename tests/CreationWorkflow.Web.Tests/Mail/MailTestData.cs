using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace CreationWorkflow.Web.Tests.Mail;

internal static class MailTestData
{
    public const string From = "platform@example.test";

    public static MailOptions SmtpOptions(SmtpServer smtp, int batchSize = 50, int maxAttempts = 8) => new()
    {
        Host = smtp.Host,
        Port = smtp.Port,
        Security = MailSecurity.None,
        Timeout = TimeSpan.FromSeconds(10),
        From = From,
        BatchSize = batchSize,
        MaxAttempts = maxAttempts,
    };

    public static OutboxDispatcher Dispatcher(AppDbContext db, MailOptions options, TimeProvider clock, IMailTransport? transport = null)
    {
        var wrapped = Options.Create(options);
        transport ??= options.UsesPickupDirectory
            ? new PickupDirectoryTransport(wrapped)
            : new SmtpMailTransport(wrapped, NullLogger<SmtpMailTransport>.Instance);
        return new OutboxDispatcher(db, transport, wrapped, clock, NullLogger<OutboxDispatcher>.Instance);
    }

    /// <summary>A Pending message due now, in Chinese, with a Message-ID unique to this call.</summary>
    public static OutboxMessage Message(int no, DateTimeOffset now, string? to = null) => new()
    {
        MessageId = $"<t{no:D3}.{Guid.NewGuid():N}@creationworkflow>",
        To = to ?? $"unit{no}@example.test",
        ToName = $"第{no}责任单位",
        Subject = $"【民族团结进步创建】第{no}项“制定民族团结进步创建工作方案”进展填报今天到期",
        BodyText = $"第{no}责任单位：\n您单位负责的第{no}项“制定民族团结进步创建工作方案”（进展填报环节）今天（2022年5月6日）到期。\n办理入口：http://localhost:5000/assignments/{no}\n",
        State = OutboxState.Pending,
        CreatedAt = now.AddMinutes(-30),
        NextAttemptAt = now,
    };

    public static async Task<List<OutboxMessage>> AddAsync(SqliteTestDatabase database, IEnumerable<OutboxMessage> messages)
    {
        await using var db = database.NewContext();
        var list = messages.ToList();
        db.Outbox.AddRange(list);
        await db.SaveChangesAsync();
        return list;
    }

    public static async Task<List<OutboxMessage>> OutboxAsync(Func<AppDbContext> newContext)
    {
        await using var db = newContext();
        return await db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    public static MimeMessage Parse(byte[] raw) => MimeMessage.Load(new MemoryStream(raw));

    public static string Normalise(string? text) => (text ?? "").ReplaceLineEndings("\n");
}
