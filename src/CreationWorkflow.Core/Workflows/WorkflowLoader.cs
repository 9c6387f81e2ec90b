using CreationWorkflow.Core.Notifications;

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
            throw new SeedException([new SeedError(workflowsDir, "$", "找不到流程定义文件夹（workflows）。")]);
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
                errors.Add(new SeedError(DisplayName(file), "$.version", $"流程「{d.Id}」第{d.Version}版已在 {first} 中定义。"));
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
        return Checked(d, file, programmes, errors, before, cron);
    }

    /// <summary>
    /// An edited definition (the office's JSON, as <paramref name="displayName"/>), checked exactly as a file in workflows/ is:
    /// every fault by JSON path with the same zh-CN reasons. Null when any fault was recorded.
    /// </summary>
    public static WorkflowDefinition? Parse(
        string json, string displayName, IReadOnlyDictionary<string, Programme> programmes, List<SeedError> errors, CronCheck? cron = null)
    {
        var before = errors.Count;
        var d = SeedJson.Parse<WorkflowDefinition>(System.Text.Encoding.UTF8.GetBytes(json), displayName, errors);
        return Checked(d, displayName, programmes, errors, before, cron);
    }

    private static WorkflowDefinition? Checked(
        WorkflowDefinition? d, string file, IReadOnlyDictionary<string, Programme> programmes, List<SeedError> errors, int before, CronCheck? cron)
    {
        if (d is null || errors.Count > before)
        {
            for (var i = before; i < errors.Count; i++)
            {
                errors[i] = errors[i] with { Path = JsonPath(errors[i]), Reason = JsonReason(errors[i].Reason) };
            }
            return null;
        }
        Validate(d, programmes.GetValueOrDefault(d.Programme), (p, reason) => errors.Add(new SeedError(file, p, reason)), cron);
        return errors.Count > before ? null : d;
    }

    /// <summary>A missing required property's path names it (<c>$.steps[0].name</c>), not only the object that lacks it.</summary>
    private static string JsonPath(SeedError e)
    {
        const string missing = "missing required property ";
        if (!e.Reason.StartsWith(missing, StringComparison.Ordinal))
        {
            return e.Path;
        }
        var first = e.Reason[missing.Length..].Split(',')[0].Trim('\'', ' ', '.');
        return first.Length == 0 ? e.Path : $"{e.Path}.{first}";
    }

    /// <summary><see cref="SeedJson.Explain"/>'s reasons (shared with the seed files, in English) as the office reads them.</summary>
    private static string JsonReason(string reason)
    {
        static string After(string text, string prefix) => text[prefix.Length..].Trim('\'', ' ');
        return reason switch
        {
            _ when reason.StartsWith("unknown property ", StringComparison.Ordinal) => $"未知字段「{After(reason, "unknown property ")}」。",
            _ when reason.StartsWith("missing required property ", StringComparison.Ordinal) => $"缺少必填字段：{After(reason, "missing required property ")}。",
            _ when reason.StartsWith("wrong type of value", StringComparison.Ordinal) => "值的类型不对（文字须加引号，数字、true/false 不加，枚举须为文档列出的值）。",
            _ when reason.StartsWith("the file holds null", StringComparison.Ordinal) => "内容为空（null）。",
            _ when reason.StartsWith("cannot read file", StringComparison.Ordinal) => "无法读取文件：" + reason,
            _ => "JSON 格式错误：" + reason,
        };
    }

    private static void Validate(WorkflowDefinition d, Programme? programme, Action<string, string> fail, CronCheck? cron)
    {
        if (string.IsNullOrWhiteSpace(d.Id))
        {
            fail("$.id", "流程编号（id）不能为空。");
        }
        if (d.Version < 1)
        {
            fail("$.version", $"版本号 {d.Version} 须不小于 1。");
        }
        if (string.IsNullOrWhiteSpace(d.Title))
        {
            fail("$.title", "流程名称（title）不能为空。");
        }
        if (programme is null)
        {
            fail("$.programme", $"没有编号为「{d.Programme}」的创建方案。");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone, out _))
        {
            fail("$.timeZone", $"时区「{d.TimeZone}」不存在（如 Asia/Shanghai）。");
        }
        if (!DateOnly.TryParseExact(d.Template.Start, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            fail("$.template.start", $"「{d.Template.Start}」不是日期（yyyy-MM-dd）。");
        }
        if (!TimeOnly.TryParseExact(d.RemindAt, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            fail("$.remindAt", $"「{d.RemindAt}」不是时刻（HH:mm，00:00–23:59）。");
        }

        if (d.ReminderPolicies.Count == 0)
        {
            fail("$.reminderPolicies", "至少需要一项提醒规则。");
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
        if (d.Phases is { } own)
        {
            Phases(own, phases, d.Programme, fail);
        }
        if (d.Steps.Count == 0)
        {
            fail("$.steps", "至少需要一个步骤。");
        }
        var stepIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Steps.Count; i++)
        {
            var path = $"$.steps[{i}]";
            var step = d.Steps[i];
            if (string.IsNullOrWhiteSpace(step.Id))
            {
                fail(path + ".id", "步骤编号（id）不能为空。");
            }
            else if (!stepIds.Add(step.Id))
            {
                fail(path + ".id", $"步骤编号「{step.Id}」重复。");
            }
            if (string.IsNullOrWhiteSpace(step.Name))
            {
                fail(path + ".name", "名称（name）不能为空。");
            }
            if (phases is not null && !phases.Contains(step.Phase))
            {
                fail(path + ".phase", $"阶段「{step.Phase}」不存在（创建方案 {d.Programme} 的阶段：{string.Join("、", phases)}）。");
            }
            if (!d.ReminderPolicies.ContainsKey(step.Reminders))
            {
                fail(path + ".reminders", $"提醒规则「{step.Reminders}」未定义（已定义：{string.Join("、", d.ReminderPolicies.Keys)}）。");
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
                fail(path + ".id", $"督查节点编号「{c.Id}」重复。");
            }
            if (phases is not null && !phases.Contains(c.Phase))
            {
                fail(path + ".phase", $"阶段「{c.Phase}」不存在（创建方案 {d.Programme} 的阶段：{string.Join("、", phases)}）。");
            }
            var fields = c.Cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            if (fields is not (6 or 7))
            {
                fail(path + ".cron", $"「{c.Cron}」有 {fields} 段；Quartz cron 表达式须为 6 或 7 段。");
            }
            if (string.IsNullOrWhiteSpace(c.Scope))
            {
                fail(path + ".scope", "范围（scope）不能为空。");
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
                fail("$.bulletin.cron", $"「{b.Cron}」有 {fields} 段；Quartz cron 表达式须为 6 或 7 段。");
            }
            else if (cron?.Invoke(b.Cron, true) is { } problem)
            {
                fail("$.bulletin.cron", problem);
            }
            if (string.IsNullOrWhiteSpace(b.Name))
            {
                fail("$.bulletin.name", "名称（name）不能为空。");
            }
            if (b.MostLate is < 1 or > BulletinSchedule.MaxMostLate)
            {
                fail("$.bulletin.mostLate", $"{b.MostLate} 须在 1 到 {BulletinSchedule.MaxMostLate} 之间。");
            }
        }
    }

    /// <summary>The definition's own phase names and template months (yyyy-MM), each for a phase of the programme, at most once.</summary>
    private static void Phases(IReadOnlyList<WorkflowPhase> own, HashSet<string>? known, string programme, Action<string, string> fail)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < own.Count; i++)
        {
            var (path, p) = ($"$.phases[{i}]", own[i]);
            if (known is not null && !known.Contains(p.Id))
            {
                fail(path + ".id", $"阶段「{p.Id}」不存在（创建方案 {programme} 的阶段：{string.Join("、", known)}）。");
            }
            else if (!seen.Add(p.Id))
            {
                fail(path + ".id", $"阶段「{p.Id}」重复列出。");
            }
            if (string.IsNullOrWhiteSpace(p.Name))
            {
                fail(path + ".name", "阶段名称（name）不能为空。");
            }
            else if (p.Name.Length > 50)
            {
                fail(path + ".name", "阶段名称（name）不能超过 50 个字。");
            }
            DateOnly? Month(string text, string field)
            {
                if (DateOnly.TryParseExact(text + "-01", DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) && text.Length == 7)
                {
                    return m;
                }
                fail($"{path}.{field}", $"「{text}」不是月份（yyyy-MM，如 2022-03）。");
                return null;
            }
            var (start, end) = (Month(p.Start, "start"), Month(p.End, "end"));
            if (start is { } s && end is { } e && e < s)
            {
                fail(path + ".end", $"结束月份 {p.End} 早于开始月份 {p.Start}。");
            }
        }
    }

    private static void Policy(string path, ReminderPolicy policy, Action<string, string> fail)
    {
        for (var i = 0; i < policy.BeforeDue.Count; i++)
        {
            if (policy.BeforeDue[i] < 1)
            {
                fail($"{path}.beforeDue[{i}]", $"{policy.BeforeDue[i]} 须为到期前的工作日数（正整数）。");
            }
            else if (policy.BeforeDue.Take(i).Contains(policy.BeforeDue[i]))
            {
                fail($"{path}.beforeDue[{i}]", $"{policy.BeforeDue[i]} 重复列出。");
            }
        }
        if (policy.OverdueEvery < 1)
        {
            fail(path + ".overdueEvery", "须至少为 1 个工作日。");
        }
        if (policy.OverdueRepeats < 0)
        {
            fail(path + ".overdueRepeats", "不能为负数。");
        }
        if (policy.EscalateAfter is < 1)
        {
            fail(path + ".escalateAfter", "须至少逾期 1 个工作日。");
        }
        if (policy.UnreadEscalateAfterHours is < 1 or > 2000)
        {
            fail(path + ".unreadEscalateAfterHours", "须在 1 到 2000 个工作小时之间。");
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
            fail(path + ".scope", $"范围 campaign 是整个创建活动一项任务，只能由创建办承担（当前角色为 {Name(step.Role)}）。");
        }
        if (campaign && step.Recurrence is not null)
        {
            fail(path + ".recurrence", "范围为 campaign 的步骤不能按周期重复（recurrence）。");
        }
        if (step.Grain == StepGrain.Unit)
        {
            if (step.Role == StepRole.Office || campaign)
            {
                fail(path + ".grain", "按单位汇总（grain unit）是每个单位一份报告、每项一行，须为单位角色（lead、responsible 或 assessed）且范围为 item。");
            }
            if (step.Action is not (StepAction.Report or StepAction.Submit))
            {
                fail(path + ".grain", $"按单位汇总（grain unit）只用于逐行填写、审核的 report 或 submit 步骤（当前动作为 {Name(step.Action)}）。");
            }
        }
        var periodAnchor = step.Due.From is DueAnchor.PeriodStart or DueAnchor.PeriodEnd;
        if (periodAnchor && step.Recurrence is null)
        {
            fail(path + ".due.from", $"期限起点 {Name(step.Due.From)} 须配合重复周期（recurrence）。");
        }
        else if (!periodAnchor && step.Recurrence is not null)
        {
            fail(path + ".due.from", "按周期重复的步骤须相对周期计算期限（periodStart 或 periodEnd）。");
        }
        if (step.Reviewer == StepReviewer.Lead && step.Role != StepRole.Responsible)
        {
            fail(path + ".reviewer", $"审核人 lead（事项的第一牵头单位）只审核责任单位（当前角色为 {Name(step.Role)}）。");
        }
        if (step.Gate)
        {
            if (step.Role != StepRole.Office)
            {
                fail(path + ".gate", $"只有创建办的步骤能等待门槛（当前角色为 {Name(step.Role)}）。");
            }
            if (programme is not null && programme.Header.Gate is null)
            {
                fail(path + ".gate", $"创建方案 {programme.Id} 没有门槛。");
            }
            else if (programme?.Header.Gate is { } g && g.Phase != step.Phase)
            {
                fail(path + ".phase", $"门槛步骤须在门槛所在阶段「{g.Phase}」。");
            }
        }
        if (programme is not null)
        {
            var subject = programme.Header.Subject;
            if (subject == ProgrammeSubject.City && step.Role == StepRole.Assessed)
            {
                fail(path + ".role", $"角色 assessed 须用于考核单位的创建方案（subject unit）；{programme.Id} 是城市创建方案（请用 lead 或 responsible）。");
            }
            if (subject == ProgrammeSubject.Unit && step.Role is StepRole.Lead or StepRole.Responsible)
            {
                fail(path + ".role", $"角色 {Name(step.Role)} 须用于城市创建方案（subject city）；{programme.Id} 的事项没有牵头或责任单位（请用 assessed）。");
            }
        }
    }

    /// <summary>An enum value as the file spells it (camelCase).</summary>
    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
