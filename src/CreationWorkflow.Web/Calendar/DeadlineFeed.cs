using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using ICalendar = Ical.Net.Calendar;

namespace CreationWorkflow.Web.Calendar;

/// <summary>One open deadline of the unit, as the feed needs it (a projection: the query reads nothing else).</summary>
public sealed record FeedRow(
    Guid Id, Guid CampaignId, string ProgrammeId, string StepId, int? ItemNo, string? PeriodLabel, DateOnly DueDate, AssignmentState State,
    int Revision, DateTimeOffset UpdatedAt);

/// <summary>A feed's rows and validators, before any iCalendar text is written (a 304 writes none).</summary>
public sealed record FeedSnapshot(string Unit, IReadOnlyList<FeedRow> Rows, string ETag, DateTimeOffset LastModified);

/// <summary>
/// The unit's open deadlines as an RFC 5545 calendar (Ical.Net): one all-day event per assignment the unit still owes
/// (已交办, 已签收, 办理中, 已退回) in a campaign that has not ended — a per-unit report (一月一报) is one event — due on its
/// due date, with a VALARM for each reminder of its step's policy before and on the due date, at the definition's
/// remindAt (the same instants <see cref="ReminderSchedule"/> gives the reminders). UIDs are the assignment ids, so a
/// moved due date updates the event. DTSTAMP is the request's time (<see cref="TimeProvider"/>); the ETag is a hash of
/// what the events say, not of DTSTAMP, so an unchanged feed answers 304.
/// </summary>
public sealed class DeadlineFeed(
    AppDbContext db, TimeProvider clock, WorkflowCatalog workflows, ProgrammeCatalog programmes, WorkingDayCalendar calendar,
    IOptions<MailOptions> mail, IOptions<CalendarOptions> options)
{
    public const string UidDomain = "creationworkflow";

    /// <summary>The bounded query: the unit's owed assignments (index on unit and due date) in campaigns not yet ended.</summary>
    public async Task<FeedSnapshot> SnapshotAsync(CalendarFeedRecord feed, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock.GetUtcNow());
        var running = db.CampaignPhases.GroupBy(p => p.CampaignId).Where(g => g.Max(p => p.End) >= today).Select(g => g.Key);
        var owed = Deadline.OwedStates.ToList();
        var rows = await db.Assignments.AsNoTracking()
            .Where(a => a.Unit == feed.Unit && owed.Contains(a.State) && running.Contains(a.CampaignId))
            .OrderBy(a => a.DueDate).ThenBy(a => a.Id)
            .Take(options.Value.MaxEvents)
            .Select(a => new FeedRow(a.Id, a.CampaignId, a.ProgrammeId, a.StepId, a.ItemNo, a.PeriodLabel, a.DueDate, a.State, a.Revision, a.UpdatedAt))
            .ToListAsync(ct);
        var text = new StringBuilder().Append(feed.Id).Append('|').Append(feed.Unit).Append('|').Append(mail.Value.BaseUrl).Append('\n');
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Id:N} {r.DueDate:yyyyMMdd} {r.State} {r.Revision}\n");
        }
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32] + "\"";
        var modified = rows.Select(r => r.UpdatedAt).Append(feed.CreatedAt).Max();
        return new FeedSnapshot(feed.Unit, rows, etag, modified);
    }

    /// <summary>The iCalendar text of a snapshot.</summary>
    public async Task<string> WriteAsync(FeedSnapshot snapshot, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var campaignIds = snapshot.Rows.Select(r => r.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkflowId, c.WorkflowVersion, c.ProgrammeId }).ToDictionaryAsync(c => c.Id, ct);
        var lookup = await Supervision.CampaignLookup.LoadAsync(db, workflows, programmes, campaignIds, ct);

        var cal = new ICalendar { ProductId = "-//CreationWorkflow//民族团结进步创建工作平台//ZH-CN", Method = "PUBLISH" };
        cal.AddProperty("X-WR-CALNAME", CalendarName(snapshot.Unit));
        cal.AddProperty("X-WR-CALDESC", $"{snapshot.Unit}在民族团结进步创建工作平台的待办截止日期");
        cal.AddProperty("X-WR-TIMEZONE", ChinaTime.Zone.Id);
        cal.AddProperty("X-PUBLISHED-TTL", "PT1H");
        var stamp = new CalDateTime(now.UtcDateTime, CalDateTime.UtcTzId);
        foreach (var r in snapshot.Rows)
        {
            var c = campaigns[r.CampaignId];
            var definition = workflows.Get(c.WorkflowId, c.WorkflowVersion);
            var step = definition.Steps.First(s => s.Id == r.StepId);
            var programme = programmes.Find(r.ProgrammeId);
            var itemText = lookup.ItemText(r.CampaignId, r.ItemNo);
            var link = NoticeFormats.AbsoluteLink(mail.Value.BaseUrl, $"/assignments/{r.Id}");
            var e = new CalendarEvent
            {
                Uid = $"{r.Id:N}@{UidDomain}",
                DtStamp = stamp,
                DtStart = new CalDateTime(r.DueDate),
                DtEnd = new CalDateTime(r.DueDate.AddDays(1)),
                Summary = Summary(programme?.Header.Title, snapshot.Unit, r.ItemNo, step.Name, r.PeriodLabel),
                Description = Description(snapshot.Unit, r, itemText, step.Name, link),
                Url = new Uri(link),
                Transparency = "TRANSPARENT",
            };
            var policy = definition.ReminderPolicies[step.Reminders];
            foreach (var reminder in ReminderSchedule.For(r.DueDate, policy, calendar).Where(x => x.Kind is ReminderKind.BeforeDue or ReminderKind.OnDue))
            {
                e.Alarms.Add(new Alarm
                {
                    Action = AlarmAction.Display,
                    Description = reminder.Kind == ReminderKind.OnDue
                        ? $"今天到期：{e.Summary}"
                        : $"还剩{calendar.WorkingDaysBetween(reminder.Date, r.DueDate)}个工作日到期：{e.Summary}",
                    Trigger = new Trigger { Duration = Offset(r.DueDate, reminder.Date, definition.RemindTime) },
                });
            }
            cal.Events.Add(e);
        }
        return new CalendarSerializer().SerializeToString(cal) ?? "";
    }

    public static string CalendarName(string unit) => $"{unit}·创建工作截止日期";

    /// <summary>【河池创建】市民宗委 2026年11月进展填报 截止 (a per-item duty names its item: 第3项).</summary>
    public static string Summary(string? programmeTitle, string unit, int? itemNo, string stepName, string? periodLabel) =>
        $"【{ShortName(programmeTitle)}】{unit} {(itemNo is { } no ? $"第{no}项 " : "")}{periodLabel}{stepName} 截止";

    /// <summary>The programme's place and 创建: "河池市创建…" → 河池创建, "台江县2022年…" → 台江创建.</summary>
    public static string ShortName(string? title)
    {
        if (string.IsNullOrEmpty(title))
        {
            return "创建";
        }
        var end = title.IndexOfAny(['市', '县', '区', '州', '旗']);
        return end is > 0 and <= 8 ? title[..end] + "创建" : "创建";
    }

    private static string Description(string unit, FeedRow r, string? itemText, string stepName, string link) =>
        $"责任单位：{unit}\n任务：{ReminderTexts.Describe(r.ItemNo, itemText, stepName, r.PeriodLabel)}\n"
        + $"截止日期：{r.DueDate.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}\n当前状态：{r.State.Label()}\n办理入口：{link}";

    /// <summary>From the event's start (the due day, 00:00) to the reminder's day at remindAt; negative before it.</summary>
    public static Duration Offset(DateOnly due, DateOnly remindOn, TimeOnly remindAt)
    {
        var minutes = (remindOn.DayNumber - due.DayNumber) * 1440 + remindAt.Hour * 60 + remindAt.Minute;
        var sign = minutes < 0 ? -1 : 1;
        var abs = Math.Abs(minutes);
        return new Duration(days: sign * (abs / 1440), hours: sign * (abs % 1440 / 60), minutes: sign * (abs % 60));
    }
}
