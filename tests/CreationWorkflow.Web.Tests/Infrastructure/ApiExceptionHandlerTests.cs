using CreationWorkflow.Web.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>Domain refusals become ProblemDetails naming the field and the zh-CN reason, with the right status.</summary>
public sealed class ApiExceptionHandlerTests : IDisposable
{
    private readonly AppFactory app = new();

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    private static readonly DateTimeOffset Now = new(2022, 1, 20, 10, 0, 0, TimeSpan.FromHours(8));

    private static AssignmentLifecycle Lifecycle(AssignmentState state) => new(Assignment.Restore(
        Guid.NewGuid(), "taijiang-2022", 1, "annual", "甲单位", new DateOnly(2022, 1, 10), null, state, null, null));

    public static TheoryData<string, int, string, string> Refusals => new()
    {
        { "forbidden", 403, "actor", "「承办单位」无权执行「审核通过」" },
        { "illegalState", 409, "state", "当前状态「已交办」不能执行「提交」" },
        { "conflict", 409, "state", "没有待审批的延期申请，不能执行「批准延期」" },
        { "invalid", 400, "reason", "执行「退回」须填写理由" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Lifecycle_refusals_map_to_their_status(string refusal, int status, string field, string reason)
    {
        Action act = refusal switch
        {
            "forbidden" => () => Lifecycle(AssignmentState.Submitted).Approve(Actor.Unit("甲单位"), Now),
            "illegalState" => () => Lifecycle(AssignmentState.Assigned).Submit(Actor.Unit("甲单位"), Now),
            "conflict" => () => Lifecycle(AssignmentState.InProgress).ApproveExtension(Actor.Office("创建办"), Now),
            _ => () => Lifecycle(AssignmentState.Submitted).Return(Actor.Office("创建办"), Now, " "),
        };
        var e = Assert.Throws<AssignmentTransitionException>(act);
        var (code, problem) = await HandleAsync(e);
        Assert.Equal(status, code);
        Assert.Equal(status, (int)problem["status"]!);
        Assert.StartsWith(reason, (string)problem["errors"]![field]![0]!);
        Assert.StartsWith(reason, (string)problem["detail"]!);
    }

    [Fact]
    public async Task Domain_exceptions_keep_their_status_and_field()
    {
        var (code, problem) = await HandleAsync(new DomainException("rectifyBy", "整改期限须晚于今天。"));
        Assert.Equal(400, code);
        Assert.Equal("整改期限须晚于今天。", (string)problem["errors"]!["rectifyBy"]![0]!);

        (code, problem) = await HandleAsync(new DomainException("id", "督办单不存在。", ErrorKind.NotFound));
        Assert.Equal((404, "未找到"), (code, (string)problem["title"]!));
    }

    private async Task<(int Status, JsonObject Problem)> HandleAsync(Exception e)
    {
        using var scope = app.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();
        var handler = new ApiExceptionHandler(scope.ServiceProvider.GetRequiredService<IProblemDetailsService>());
        Assert.True(await handler.TryHandleAsync(context, e, CancellationToken.None));
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, JsonNode.Parse(context.Response.Body)!.AsObject());
    }
}
