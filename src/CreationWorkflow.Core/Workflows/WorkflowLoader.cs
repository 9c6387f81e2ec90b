using System.Globalization;
using System.Text.Json;
using CreationWorkflow.Core.Notifications;
using CreationWorkflow.Core.Programmes;
using CreationWorkflow.Core.Seeding;

namespace CreationWorkflow.Core.Workflows;

/// <summary>
/// Loads workflow definitions from workflows/ and checks them against the programmes they name. Every fault is
/// collected (file, JSON path, reason), as for the seed files; any fault throws <see cref="SeedException"/>.
/// </summary>
/// <summary>
/// The host's check of a Quartz cron expression (Core has no Quartz): null when it is fine, else the reason. With
/// <paramref name="firstWorkingDays"/> it must also fire on every month's first working day (the bulletin's cron).
/// </summary>
public delegate string? CronCheck(string cron, bool firstWorkingDays);

public static class WorkflowLoader
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string TimeFormat = "HH:mm";

    /// <summary>Files in workflows/ that are not definitions (the JSON Schema itself).</summary>
    public const string SchemaSuffix = ".schema.json";

    public static WorkflowDefinition Load(string path, IReadOnlyDictionary<string, Programme> programmes, CronCheck? cron = null)
    {
        var errors = new List<SeedError>();
        var definition = TryLoad(path, programmes, errors, cron);
        return errors.Count > 0 || definition is null ? throw new SeedException(errors) : definition;
    }

    /// <summary>Every *.json in <paramref name="workflowsDir"/> but the schema, ordered by id then version; id + version must be unique.</summary>
    public static IReadOnlyList<WorkflowDefinition> LoadAll(string workflowsDir, IReadOnlyDictionary<string, Programme> programmes, CronCheck? cron = null)
    {
        if (!Directory.Exists(workflowsDir))
        {
            throw new SeedException([new SeedError(workflowsDir, "$", "workflows folder not found")]);
        }
        var errors = new List<SeedError>();
        var loaded = new Dictionary<(string, int), string>();
        var definitions = new List<WorkflowDefinition>();
        var files = Directory.GetFiles(workflowsDir, "*.json")
            .Where(f => !f.EndsWith(SchemaSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (TryLoad(file, programmes, errors, cron) is not { } d)
            {
                continue;
            }
            if (loaded.TryGetValue((d.Id, d.Version), out var first))
            {
                errors.Add(new SeedError(DisplayName(file), "$.version", $"workflow '{d.Id}' version {d.Version} is already defined in {first}"));
                continue;
            }
            loaded[(d.Id, d.Version)] = DisplayName(file);
            definitions.Add(d);
        }
        if (errors.Count > 0)
        {
            throw new SeedException(errors);
        }
        return [.. definitions.OrderBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.Version)];
    }

    /// <summary>
    /// The checks <see cref="Load"/> makes, on a definition made in memory (e.g. <see cref="GenericWorkflow"/>): every fault
    /// as <paramref name="file"/>, JSON path and reason, none when it is fine.
    /// </summary>
    public static IReadOnlyList<SeedError> Check(WorkflowDefinition definition, Programme? programme, string file, CronCheck? cron = null)
    {
        var errors = new List<SeedError>();
        Validate(definition, programme, (p, reason) => errors.Add(new SeedError(file, p, reason)), cron);
        return errors;
    }

    private static string DisplayName(string path) => "workflows/" + Path.GetFileName(path);

    private static WorkflowDefinition? TryLoad(string path, IReadOnlyDictionary<string, Programme> programmes, List<SeedError> errors, CronCheck? cron)
    {
        var file = DisplayName(path);
        var before = errors.Count;
        var d = SeedJson.Read<WorkflowDefinition>(path, file, errors);
        if (d is null || errors.Count > before)
        {
            return null;
        }
        Validate(d, programmes.GetValueOrDefault(d.Programme), (p, reason) => errors.Add(new SeedError(file, p, reason)), cron);
        return errors.Count > before ? null : d;
    }

    private static void Validate(WorkflowDefinition d, Programme? programme, Action<string, string> fail, CronCheck? cron)
    {
        if (string.IsNullOrWhiteSpace(d.Id))
        {
            fail("$.id", "id is empty");
        }
        if (d.Version < 1)
        {
            fail("$.version", $"version {d.Version} must be at least 1");
        }
        if (string.IsNullOrWhiteSpace(d.Title))
        {
            fail("$.title", "title is empty");
        }
        if (programme is null)
        {
            fail("$.programme", $"unknown programme '{d.Programme}'");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone, out _))
        {
            fail("$.timeZone", $"unknown time zone '{d.TimeZone}'");
        }
        if (!DateOnly.TryParseExact(d.Template.Start, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            fail("$.template.start", $"'{d.Template.Start}' is not a date (yyyy-MM-dd)");
        }
        if (!TimeOnly.TryParseExact(d.RemindAt, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            fail("$.remindAt", $"'{d.RemindAt}' is not a time of day (HH:mm, 00:00–23:59)");
        }

        if (d.ReminderPolicies.Count == 0)
        {
            fail("$.reminderPolicies", "needs at least one policy");
        }
        foreach (var (name, policy) in d.ReminderPolicies)
        {
            Policy($"$.reminderPolicies.{name}", policy, fail);
        }

        if (d.Notices is { } notices)
        {
            Notices(notices, fail);
        }

        var phases = programme?.Header.Phases.Select(p => p.Id).ToHashSet();
        if (d.Steps.Count == 0)
        {
            fail("$.steps", "needs at least one step");
        }
        var stepIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Steps.Count; i++)
        {
            var path = $"$.steps[{i}]";
            var step = d.Steps[i];
            if (string.IsNullOrWhiteSpace(step.Id))
            {
                fail(path + ".id", "id is empty");
            }
            else if (!stepIds.Add(step.Id))
            {
                fail(path + ".id", $"duplicate step id '{step.Id}'");
            }
            if (string.IsNullOrWhiteSpace(step.Name))
            {
                fail(path + ".name", "name is empty");
            }
            if (phases is not null && !phases.Contains(step.Phase))
            {
                fail(path + ".phase", $"unknown phase '{step.Phase}' (programme {d.Programme} has: {string.Join(", ", phases)})");
            }
            if (!d.ReminderPolicies.ContainsKey(step.Reminders))
            {
                fail(path + ".reminders", $"unknown reminder policy '{step.Reminders}' (defined: {string.Join(", ", d.ReminderPolicies.Keys)})");
            }
            Step(path, step, programme, fail);
        }

        var checkpointIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Checkpoints.Count; i++)
        {
            var path = $"$.checkpoints[{i}]";
            var c = d.Checkpoints[i];
            if (!checkpointIds.Add(c.Id))
            {
                fail(path + ".id", $"duplicate checkpoint id '{c.Id}'");
            }
            if (phases is not null && !phases.Contains(c.Phase))
            {
                fail(path + ".phase", $"unknown phase '{c.Phase}' (programme {d.Programme} has: {string.Join(", ", phases)})");
            }
            var fields = c.Cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            if (fields is not (6 or 7))
            {
                fail(path + ".cron", $"'{c.Cron}' has {fields} fields; a Quartz cron expression has 6 or 7");
            }
            if (string.IsNullOrWhiteSpace(c.Scope))
            {
                fail(path + ".scope", "scope is empty");
            }
            else if (fields is 6 or 7 && cron?.Invoke(c.Cron, false) is { } problem)
            {
                fail(path + ".cron", problem);
            }
        }

        if (d.Bulletin is { } b)
        {
            var fields = b.Cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            if (fields is not (6 or 7))
            {
                fail("$.bulletin.cron", $"'{b.Cron}' has {fields} fields; a Quartz cron expression has 6 or 7");
            }
            else if (cron?.Invoke(b.Cron, true) is { } problem)
            {
                fail("$.bulletin.cron", problem);
            }
            if (string.IsNullOrWhiteSpace(b.Name))
            {
                fail("$.bulletin.name", "name is empty");
            }
            if (b.MostLate is < 1 or > BulletinSchedule.MaxMostLate)
            {
                fail("$.bulletin.mostLate", $"{b.MostLate} must be between 1 and {BulletinSchedule.MaxMostLate}");
            }
        }
    }

    private static void Policy(string path, ReminderPolicy policy, Action<string, string> fail)
    {
        for (var i = 0; i < policy.BeforeDue.Count; i++)
        {
            if (policy.BeforeDue[i] < 1)
            {
                fail($"{path}.beforeDue[{i}]", $"{policy.BeforeDue[i]} must be a positive number of working days before the due date");
            }
            else if (policy.BeforeDue.Take(i).Contains(policy.BeforeDue[i]))
            {
                fail($"{path}.beforeDue[{i}]", $"{policy.BeforeDue[i]} is listed twice");
            }
        }
        if (policy.OverdueEvery < 1)
        {
            fail(path + ".overdueEvery", "must be at least 1 working day");
        }
        if (policy.OverdueRepeats < 0)
        {
            fail(path + ".overdueRepeats", "must not be negative");
        }
        if (policy.EscalateAfter is < 1)
        {
            fail(path + ".escalateAfter", "must be at least 1 working day overdue");
        }
        if (policy.UnreadEscalateAfterHours is < 1 or > 2000)
        {
            fail(path + ".unreadEscalateAfterHours", "must be between 1 and 2000 working hours");
        }
    }

    /// <summary>The reminderPolicy section; its messages are zh-CN (the office edits this part).</summary>
    private static void Notices(NoticePolicy n, Action<string, string> fail)
    {
        const string path = "$.reminderPolicy";
        if (n.Liaison is null && n.Leader is null && n.UnreadEscalation is null)
        {
            fail(path, "提醒策略为空：请至少填写 liaison（联络员）、leader（分管领导）或 unreadEscalation（未读升级）之一，或删去该节。");
        }
        foreach (var (role, map) in new[] { ("liaison", n.Liaison), ("leader", n.Leader) })
        {
            foreach (var (group, channels) in map ?? new Dictionary<string, IReadOnlyList<string>>())
            {
                var at = $"{path}.{role}.{group}";
                if (group is not (ChannelPolicy.RemindersGroup or ChannelPolicy.EscalationsGroup)
                    && !NotificationKinds.All.Any(k => k.Spelling() == group))
                {
                    fail(at, $"「{group}」不是通知类别：须为 reminders（各类提醒）、escalations（升级督办）或某一通知种类（如 due-soon、overdue、order-issued）。");
                    continue;
                }
                for (var i = 0; i < channels.Count; i++)
                {
                    if (!ChannelPolicy.ChannelNames.ContainsKey(channels[i]))
                    {
                        fail($"{at}[{i}]", channels[i] == "mail" || channels[i] == "inApp"
                            ? $"「{channels[i]}」无需列出：每条通知都在平台内显示并按摘要发送邮件。"
                            : $"「{channels[i]}」不是消息通道：须为 weCom（企业微信）、dingTalk（钉钉）、webhook 或 sms（短信）。");
                    }
                    else if (channels.Take(i).Contains(channels[i]))
                    {
                        fail($"{at}[{i}]", $"消息通道「{channels[i]}」重复列出。");
                    }
                }
            }
        }
        if (n.UnreadEscalation is { } u)
        {
            if (u.AfterWorkingHours is < 1 or > 2000)
            {
                fail(path + ".unreadEscalation.afterWorkingHours", $"未读升级时限须在 1 到 2000 个工作小时之间（现为 {u.AfterWorkingHours}）。");
            }
            TimeOnly? Time(string? text, string field)
            {
                if (text is null)
                {
                    return null;
                }
                if (TimeOnly.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                {
                    return t;
                }
                fail($"{path}.unreadEscalation.{field}", $"「{text}」不是时刻（HH:mm，如 08:30）。");
                return null;
            }
            var (start, end) = (Time(u.WorkdayStart, "workdayStart"), Time(u.WorkdayEnd, "workdayEnd"));
            if ((u.WorkdayStart is null) != (u.WorkdayEnd is null))
            {
                fail(path + ".unreadEscalation." + (u.WorkdayStart is null ? "workdayStart" : "workdayEnd"), "上班和下班时刻须同时填写（workdayStart、workdayEnd）。");
            }
            else if (start is { } s && end is { } e && e <= s)
            {
                fail(path + ".unreadEscalation.workdayEnd", $"下班时刻 {u.WorkdayEnd} 须晚于上班时刻 {u.WorkdayStart}。");
            }
        }
    }

    private static void Step(string path, WorkflowStep step, Programme? programme, Action<string, string> fail)
    {
        var campaign = step.Scope == StepScope.Campaign;
        if (campaign && step.Role != StepRole.Office)
        {
            fail(path + ".scope", $"scope 'campaign' is one assignment for the whole campaign, so only for the office (role is '{Name(step.Role)}')");
        }
        if (campaign && step.Recurrence is not null)
        {
            fail(path + ".recurrence", "a campaign-scope step cannot recur");
        }
        if (step.Grain == StepGrain.Unit)
        {
            if (step.Role == StepRole.Office || campaign)
            {
                fail(path + ".grain", "grain 'unit' makes one report per unit holding a line per item, so the step needs a unit role (lead, responsible or assessed) and scope 'item'");
            }
            if (step.Action is not (StepAction.Report or StepAction.Submit))
            {
                fail(path + ".grain", $"grain 'unit' is for report or submit steps, whose lines are filled and reviewed (action is '{Name(step.Action)}')");
            }
        }
        var periodAnchor = step.Due.From is DueAnchor.PeriodStart or DueAnchor.PeriodEnd;
        if (periodAnchor && step.Recurrence is null)
        {
            fail(path + ".due.from", $"'{Name(step.Due.From)}' needs a recurrence");
        }
        else if (!periodAnchor && step.Recurrence is not null)
        {
            fail(path + ".due.from", "a recurring step is due relative to its period (periodStart or periodEnd)");
        }
        if (step.Reviewer == StepReviewer.Lead && step.Role != StepRole.Responsible)
        {
            fail(path + ".reviewer", $"reviewer 'lead' (the item's first lead unit) reviews responsible units only (role is '{Name(step.Role)}')");
        }
        if (step.Gate)
        {
            if (step.Role != StepRole.Office)
            {
                fail(path + ".gate", $"only an office step can wait for the gate (role is '{Name(step.Role)}')");
            }
            if (programme is not null && programme.Header.Gate is null)
            {
                fail(path + ".gate", $"programme {programme.Id} has no gate");
            }
            else if (programme?.Header.Gate is { } g && g.Phase != step.Phase)
            {
                fail(path + ".phase", $"the gate step belongs to the gate's phase '{g.Phase}'");
            }
        }
        if (programme is not null)
        {
            var subject = programme.Header.Subject;
            if (subject == ProgrammeSubject.City && step.Role == StepRole.Assessed)
            {
                fail(path + ".role", $"role 'assessed' needs a programme with subject 'unit'; {programme.Id} is a city programme (use lead or responsible)");
            }
            if (subject == ProgrammeSubject.Unit && step.Role is StepRole.Lead or StepRole.Responsible)
            {
                fail(path + ".role", $"role '{Name(step.Role)}' needs a programme with subject 'city'; {programme.Id}'s items have no lead or responsible units (use assessed)");
            }
        }
    }

    /// <summary>An enum value as the file spells it (camelCase).</summary>
    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
