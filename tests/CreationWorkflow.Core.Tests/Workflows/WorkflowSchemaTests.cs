using System.Reflection;
using System.Text.Json.Serialization;

namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>
/// workflows/workflow.schema.json and the records the loader reads must describe the same files: the same
/// properties, the same required ones and the same enum values. (No JSON Schema 2020-12 validator is available
/// from the package feed here; the shipped files were checked with Python's jsonschema, see docs/workflow-format.md.)
/// </summary>
public class WorkflowSchemaTests
{
    private static readonly JsonNode Schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Workflows, "workflow.schema.json")))!;

    private static JsonNode Def(string name) => Schema["$defs"]![name]!;

    public static TheoryData<string, Type> Objects => new()
    {
        { "$", typeof(WorkflowDefinition) },
        { "$.properties.template", typeof(WorkflowTemplate) },
        { "$defs.source", typeof(SourceRef) },
        { "$defs.reminderPolicy", typeof(ReminderPolicy) },
        { "$defs.step", typeof(WorkflowStep) },
        { "$defs.step.properties.due", typeof(StepDue) },
        { "$defs.step.properties.recurrence", typeof(Recurrence) },
        { "$defs.checkpoint", typeof(Checkpoint) },
        { "$defs.bulletin", typeof(BulletinSchedule) },
        { "$defs.noticePolicy", typeof(NoticePolicy) },
        { "$defs.unreadEscalation", typeof(UnreadEscalationPolicy) },
        { "$defs.phase", typeof(WorkflowPhase) },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Properties_and_required_match_the_record(string path, Type type)
    {
        var node = Resolve(path);
        Assert.False(node["additionalProperties"]!.GetValue<bool>());
        var parameters = type.GetConstructors().Single().GetParameters();
        string JsonName(ParameterInfo p) =>
            type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance)?.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name!);

        Assert.Equal(parameters.Select(JsonName).Order(), node["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(
            parameters.Where(p => !p.HasDefaultValue).Select(JsonName).Order(),
            node["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
    }

    [Theory]
    [InlineData("role", typeof(StepRole))]
    [InlineData("scope", typeof(StepScope))]
    [InlineData("action", typeof(StepAction))]
    [InlineData("reviewer", typeof(StepReviewer))]
    [InlineData("grain", typeof(StepGrain))]
    public void Step_enums_match(string property, Type enumType) =>
        Assert.Equal(EnumNames(enumType), SchemaEnum(Def("step")["properties"]![property]!));

    [Fact]
    public void Due_and_recurrence_enums_match()
    {
        var step = Def("step")["properties"]!;
        Assert.Equal(EnumNames(typeof(DueAnchor)), SchemaEnum(step["due"]!["properties"]!["from"]!));
        Assert.Equal(EnumNames(typeof(RecurrenceEvery)), SchemaEnum(step["recurrence"]!["properties"]!["every"]!));
    }

    [Fact]
    public void Every_shipped_definition_names_the_schema()
    {
        foreach (var file in Directory.GetFiles(Repo.Workflows, "*.json").Where(f => !f.EndsWith(WorkflowLoader.SchemaSuffix, StringComparison.Ordinal)))
        {
            Assert.Equal("./workflow.schema.json", JsonNode.Parse(File.ReadAllText(file))!["$schema"]!.GetValue<string>());
        }
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema["$schema"]!.GetValue<string>());
    }

    private static JsonNode Resolve(string path)
    {
        var parts = path.Split('.');
        var node = parts[0] == "$defs" ? Def(parts[1]) : Schema;
        foreach (var part in parts.Skip(parts[0] == "$defs" ? 2 : 1))
        {
            node = node[part]!;
        }
        return node;
    }

    private static IEnumerable<string> EnumNames(Type enumType) => Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName).Order();

    private static IEnumerable<string> SchemaEnum(JsonNode property) =>
        property["enum"]!.AsArray().Where(v => v is not null).Select(v => v!.GetValue<string>()).Order();
}
