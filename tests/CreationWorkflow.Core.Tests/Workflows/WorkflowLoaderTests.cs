namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>The shipped definitions load against the real seeds; broken copies name file, JSON path and reason.</summary>
public sealed class WorkflowLoaderTests : WorkflowsCopyTest
{
    private const string HechiFile = "workflows/hechi-2021.json";
    private const string TaijiangFile = "workflows/taijiang-2022.json";

    /// <summary>The one fault the edit caused, asserted by file, path and a fragment of the reason.</summary>
    private void Fails(string file, string path, string reason)
    {
        var errors = Errors();
        Assert.Contains(errors, e => e.File == file && e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    /// <summary>Broken copies by name: the file changed, the change, and the JSON path and fragment of the reason the loader names.</summary>
    private static readonly Dictionary<string, (string File, Action<JsonNode> Change, string Path, string Reason)> Broken = new()
    {
        ["Unknown_programme"] = (HechiFile, n => n["programme"] = "hechi-2099", "$.programme", "没有编号为「hechi-2099」的创建方案"),
        ["Unknown_phase"] = (HechiFile, n => n["steps"]![3]!["phase"] = "fullpush", "$.steps[3].phase", "阶段「fullpush」不存在"),
        ["Unknown_checkpoint_phase"] = (HechiFile, n => n["checkpoints"]![1]!["phase"] = "midterm", "$.checkpoints[1].phase", "阶段「midterm」不存在"),
        ["Duplicate_step_id"] = (HechiFile, n => n["steps"]![1]!["id"] = "acknowledge", "$.steps[1].id", "步骤编号「acknowledge」重复"),
        ["Unknown_reminder_policy"] = (HechiFile, n => n["steps"]![2]!["reminders"] = "strict", "$.steps[2].reminders", "提醒规则「strict」未定义"),
        ["Bad_time_of_day"] = (HechiFile, n => n["remindAt"] = "25:00", "$.remindAt", "「25:00」不是时刻"),
        ["Unknown_time_zone"] = (HechiFile, n => n["timeZone"] = "Asia/Beijing", "$.timeZone", "时区「Asia/Beijing」不存在"),
        ["Bad_template_start"] = (HechiFile, n => n["template"]!["start"] = "2021-12", "$.template.start", "「2021-12」不是日期"),
        ["Negative_before_due"] = (HechiFile, n => n["reminderPolicies"]!["standard"]!["beforeDue"]![0] = -3, "$.reminderPolicies.standard.beforeDue[0]", "-3 须为到期前的工作日数"),
        ["Recurrence_on_a_campaign_step"] = (HechiFile, n => n["steps"]![6]!["recurrence"] = new JsonObject { ["every"] = "month" }, "$.steps[6].recurrence", "范围为 campaign 的步骤不能按周期重复"),
        ["Period_anchor_without_recurrence"] = (HechiFile, n => n["steps"]![3]!.AsObject().Remove("recurrence"), "$.steps[3].due.from", "期限起点 periodEnd 须配合重复周期"),
        ["Campaign_scope_for_units"] = (HechiFile, n => n["steps"]![4]!["scope"] = "campaign", "$.steps[4].scope", "只能由创建办承担（当前角色为 lead）"),
        ["Gate_on_a_non_office_step"] = (HechiFile, n => n["steps"]![4]!["gate"] = true, "$.steps[4].gate", "只有创建办的步骤能等待门槛（当前角色为 lead）"),
        ["Gate_on_a_programme_without_one"] = (TaijiangFile, n => n["steps"]!.AsArray().Add(JsonNode.Parse("""
                { "id": "apply", "phase": "annual", "name": "提出验收申请", "role": "office", "scope": "campaign", "action": "apply",
                  "evidence": true, "reviewer": null, "due": { "from": "phaseEnd", "workingDays": 0 }, "reminders": "standard", "gate": true }
                """)), "$.steps[2].gate", "创建方案 taijiang-2022 没有门槛"),
        ["Lead_reviewer_outside_responsible_steps"] = (HechiFile, n => n["steps"]![4]!["reviewer"] = "lead", "$.steps[4].reviewer", "只审核责任单位"),
        ["Assessed_role_on_a_city_programme"] = (HechiFile, n => n["steps"]![0]!["role"] = "assessed", "$.steps[0].role", "角色 assessed 须用于考核单位的创建方案"),
        ["Version_below_one"] = (HechiFile, n => n["version"] = 0, "$.version", "版本号 0 须不小于 1"),
    };

    public static TheoryData<string> BrokenCopies()
    {
        var data = new TheoryData<string>();
        foreach (var name in Broken.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>Each broken copy fails with the one fault its edit caused, by file, path and a fragment of the reason.</summary>
    [Theory]
    [MemberData(nameof(BrokenCopies))]
    public void A_broken_copy_names_file_path_and_reason(string name)
    {
        var (file, change, path, reason) = Broken[name];
        Edit(file, change);
        Fails(file, path, reason);
    }

    [Fact]
    public void The_shipped_definitions_load_against_the_real_seeds()
    {
        var all = WorkflowLoader.LoadAll(Repo.Workflows, Repo.Programmes);
        Assert.Equal([("hechi-2021", 1), ("hechi-2021", 2), ("taijiang-2022", 1)], all.Select(d => (d.Id, d.Version)));
        var hechi = all[0];
        Assert.Equal((1, "hechi-2021", "Asia/Shanghai", "./workflow.schema.json"), (hechi.Version, hechi.Programme, hechi.TimeZone, hechi.Schema));
        Assert.Equal(new DateOnly(2021, 12, 1), hechi.Template.StartDate);
        Assert.Equal(new TimeOnly(9, 0), hechi.RemindTime);
        Assert.Equal(
            ["acknowledge", "measures", "progress", "consolidate", "selfScore", "selfInspection", "apply"],
            hechi.Steps.Select(s => s.Id));
        Assert.All(hechi.Steps, s => Assert.Contains(s.Phase, Repo.Hechi.Header.Phases.Select(p => p.Id)));
        var standard = hechi.ReminderPolicies["standard"];
        Assert.Equal([3, 1], standard.BeforeDue);
        Assert.Equal((true, 2, 3, (int?)5), (standard.OnDue, standard.OverdueEvery, standard.OverdueRepeats, standard.EscalateAfter));
        var apply = hechi.Steps[^1];
        Assert.Equal((StepRole.Office, StepScope.Campaign, true), (apply.Role, apply.Scope, apply.Gate));
        Assert.Equal(["fullPush", "midTerm"], hechi.Checkpoints.Select(c => c.Phase));
        Assert.All(all[^1].Steps, s => Assert.Equal(StepRole.Assessed, s.Role));
    }

    [Fact]
    public void Load_reads_one_file()
    {
        var taijiang = WorkflowLoader.Load(Path.Combine(Dir, "taijiang-2022.json"), Repo.Programmes);
        Assert.Equal("taijiang-2022", taijiang.Programme);
    }

    [Fact]
    public void Lead_or_responsible_role_on_a_unit_programme()
    {
        Edit(TaijiangFile, n =>
        {
            n["steps"]![0]!["role"] = "lead";
            n["steps"]![1]!["role"] = "responsible";
        });
        var errors = Errors();
        Assert.Contains(errors, e => e is { File: TaijiangFile, Path: "$.steps[0].role" } && e.Reason.Contains("角色 lead 须用于城市创建方案"));
        Assert.Contains(errors, e => e is { File: TaijiangFile, Path: "$.steps[1].role" } && e.Reason.Contains("角色 responsible"));
    }

    [Theory]
    [InlineData("0 0 9 1 3,6,9,12", 5)]
    [InlineData("0 0 9 1 3,6,9,12 ? 2022 x", 8)]
    public void Cron_with_the_wrong_number_of_fields(string cron, int fields)
    {
        Edit(HechiFile, n => n["checkpoints"]![0]!["cron"] = cron);
        Fails(HechiFile, "$.checkpoints[0].cron", $"有 {fields} 段；Quartz cron 表达式须为 6 或 7 段");
    }

    [Fact]
    public void Two_files_with_the_same_id_and_version()
    {
        File.Copy(Path.Combine(Dir, "hechi-2021.json"), Path.Combine(Dir, "hechi-2021.v1-copy.json"));
        var e = Assert.Single(Errors());
        Assert.Equal(("workflows/hechi-2021.v1-copy.json", "$.version"), (e.File, e.Path));
        Assert.Contains("流程「hechi-2021」第1版已在 workflows/hechi-2021.json 中定义", e.Reason);
    }

    [Fact]
    public void A_policy_may_set_unread_escalation_hours_and_a_definition_without_it_serialises_as_before()
    {
        // Without the setting nothing new is written, so the stored content hash of the shipped versions is unchanged.
        foreach (var d in WorkflowLoader.LoadAll(Repo.Workflows, Repo.Programmes))
        {
            Assert.DoesNotContain("unreadEscalateAfterHours", JsonSerializer.Serialize(d, CreationWorkflow.Core.Seeding.SeedJson.Options));
        }
        var policy = "hechi-2021.v2.json";
        var name = "";
        Edit(policy, n =>
        {
            var first = n["reminderPolicies"]!.AsObject().First();
            name = first.Key;
            first.Value!["unreadEscalateAfterHours"] = 8;
        });
        var v2 = WorkflowLoader.LoadAll(Dir, Repo.Programmes).Single(d => d.Id == "hechi-2021" && d.Version == 2);
        Assert.Equal(8, v2.ReminderPolicies[name].UnreadEscalateAfterHours);
        Edit(policy, n => n["reminderPolicies"]![name]!["unreadEscalateAfterHours"] = 0);
        Fails("workflows/" + policy, $"$.reminderPolicies.{name}.unreadEscalateAfterHours", "1 到 2000 个工作小时");
    }

    [Fact]
    public void A_new_version_loads_beside_the_old()
    {
        File.Copy(Path.Combine(Dir, "hechi-2021.json"), Path.Combine(Dir, "hechi-2021.v3.json"));
        Edit("hechi-2021.v3.json", n => n["version"] = 3);
        var all = WorkflowLoader.LoadAll(Dir, Repo.Programmes);
        Assert.Equal([("hechi-2021", 1), ("hechi-2021", 2), ("hechi-2021", 3), ("taijiang-2022", 1)], all.Select(d => (d.Id, d.Version)));
    }

    [Fact]
    public void Version_two_reports_per_unit_and_differs_from_version_one_only_there()
    {
        var all = WorkflowLoader.LoadAll(Repo.Workflows, Repo.Programmes).Where(d => d.Id == "hechi-2021").ToList();
        var (v1, v2) = (all.Single(d => d.Version == 1), all.Single(d => d.Version == 2));
        Assert.All(v1.Steps, s => Assert.Equal(StepGrain.Item, s.Grain));
        Assert.Equal(["progress", "consolidate"], v2.Steps.Where(s => s.Grain == StepGrain.Unit).Select(s => s.Id));
        Assert.Equal(v1.Steps.Select(s => s with { Grain = StepGrain.Item, Source = null }), v2.Steps.Select(s => s with { Grain = StepGrain.Item, Source = null }));
        Assert.All(v2.Steps, s => Assert.NotNull(s.Source));
    }

    [Theory]
    [InlineData(0, "（当前动作为 acknowledge）")] // 签收任务 has no lines to fill
    [InlineData(6, "须为单位角色")] // 提出验收申请 is the office's, once per campaign
    public void Grain_unit_needs_a_unit_role_and_lines_to_fill(int step, string reason)
    {
        Edit(HechiFile, n => n["steps"]![step]!["grain"] = "unit");
        Fails(HechiFile, $"$.steps[{step}].grain", reason);
    }

    [Fact]
    public void Unknown_properties_are_refused()
    {
        Edit(HechiFile, n => n["steps"]![0]!["dueDays"] = 5);
        var e = Assert.Single(Errors());
        Assert.Equal((HechiFile, "$.steps[0].dueDays"), (e.File, e.Path));
        Assert.Contains("未知字段「dueDays」", e.Reason);
    }

    [Fact]
    public void All_faults_are_collected_across_files()
    {
        Edit(HechiFile, n =>
        {
            n["version"] = 0;
            n["remindAt"] = "9:00";
            n["steps"]![2]!["phase"] = "push";
            n["checkpoints"]![0]!["cron"] = "daily";
        });
        Edit(TaijiangFile, n => n["programme"] = "taijiang-2023");
        var errors = Errors();
        Assert.Equal(
            [(HechiFile, "$.version"), (HechiFile, "$.remindAt"), (HechiFile, "$.steps[2].phase"), (HechiFile, "$.checkpoints[0].cron"), (TaijiangFile, "$.programme")],
            errors.Select(e => (e.File, e.Path)));
    }

    private const string HechiV2File = "workflows/hechi-2021.v2.json";

    [Fact]
    public void The_bulletin_section_is_checked_field_by_field_and_its_cron_by_the_hosts_check()
    {
        var v2 = WorkflowLoader.LoadAll(Repo.Workflows, Repo.Programmes).Single(d => d.Id == "hechi-2021" && d.Version == 2);
        Assert.Equal(("0 0 9 1-10 * ?", BulletinSchedule.DefaultName, 10), (v2.Bulletin!.Cron, v2.Bulletin.Name, v2.Bulletin.MostLate));
        Assert.Null(WorkflowLoader.LoadAll(Repo.Workflows, Repo.Programmes).Single(d => d.Id == "hechi-2021" && d.Version == 1).Bulletin);

        Edit(HechiV2File, d => { d["bulletin"]!["mostLate"] = 0; d["bulletin"]!["name"] = " "; d["bulletin"]!["cron"] = "0 9 1 * ?"; });
        Fails(HechiV2File, "$.bulletin.mostLate", "须在 1 到 100 之间");
        Fails(HechiV2File, "$.bulletin.name", "名称（name）不能为空");
        Fails(HechiV2File, "$.bulletin.cron", "有 5 段");

        Edit(HechiV2File, d => d["bulletin"] = JsonNode.Parse("""{"cron":"0 0 9 1 * ?"}"""));
        var errors = Assert.Throws<SeedException>(() => WorkflowLoader.LoadAll(Dir, Repo.Programmes,
            (cron, firstWorkingDays) => firstWorkingDays ? $"'{cron}' misses a first working day" : null)).Errors;
        Assert.Equal((HechiV2File, "$.bulletin.cron", "'0 0 9 1 * ?' misses a first working day"), (errors.Single().File, errors.Single().Path, errors.Single().Reason));
    }

    [Fact]
    public void An_edited_definition_is_checked_as_a_file_with_the_same_reasons()
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "hechi-2021.v2.json")))!;
        node["steps"]![3]!["phase"] = "fullpush";
        node["phases"] = JsonNode.Parse("""[{"id":"fullPush","name":"全面推进","start":"2022-13","end":"2022-01"},{"id":"push","name":" ","start":"2022-01","end":"2022-02"}]""");
        var errors = new List<SeedError>();
        Assert.Null(WorkflowLoader.Parse(node.ToJsonString(), "编辑的流程", Repo.Programmes, errors));
        Assert.Contains(errors, e => e is { File: "编辑的流程", Path: "$.steps[3].phase" } && e.Reason.StartsWith("阶段「fullpush」不存在", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Path: "$.phases[0].start", Reason: "「2022-13」不是月份（yyyy-MM，如 2022-03）。" });
        Assert.Contains(errors, e => e is { Path: "$.phases[1].id" } && e.Reason.StartsWith("阶段「push」不存在", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Path: "$.phases[1].name", Reason: "阶段名称（name）不能为空。" });

        errors.Clear();
        Assert.Null(WorkflowLoader.Parse("""{"id": "x", "version": 1,""", "编辑的流程", Repo.Programmes, errors));
        Assert.StartsWith("JSON 格式错误", Assert.Single(errors).Reason, StringComparison.Ordinal);

        errors.Clear();
        node["steps"]![3]!["phase"] = "fullPush";
        node["phases"] = JsonNode.Parse("""[{"id":"fullPush","name":"全面推进（延长）","start":"2022-01","end":"2022-12"}]""");
        var edited = WorkflowLoader.Parse(node.ToJsonString(), "编辑的流程", Repo.Programmes, errors);
        Assert.Empty(errors);
        Assert.Equal(("全面推进（延长）", "2022-12"), (edited!.PhasesOf(Repo.Hechi).Single(p => p.Id == "fullPush").Name, edited.PhasesOf(Repo.Hechi).Single(p => p.Id == "fullPush").End));
    }
}
