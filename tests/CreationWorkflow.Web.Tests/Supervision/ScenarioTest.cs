namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>A test class on the <see cref="Scenario"/>: a copy of it for each test, disposed after it.</summary>
public abstract class ScenarioTest : IAsyncLifetime
{
    protected Scenario S { get; private set; } = null!;

    public virtual async Task InitializeAsync() => S = await Scenario.StartAsync();

    public Task DisposeAsync()
    {
        S.Dispose();
        return Task.CompletedTask;
    }
}
