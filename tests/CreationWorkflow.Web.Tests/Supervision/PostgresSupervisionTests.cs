namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>The board's SQL and the order numbering under concurrency, on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSupervisionTests(PostgresServer postgres) : IAsyncLifetime
{
    private Scenario s = null!;

    public async Task InitializeAsync() => s = await Scenario.StartAsync(await postgres.CreateDatabaseAsync());

    public Task DisposeAsync()
    {
        s.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Board_shows_red_items_most_days_late_first_with_counts_per_light() =>
        await BoardChecks.RedFirstAsync(s, await s.Client(Roles.Inspector));

    /// <summary>Several instances share one PostgreSQL in production: figures kept by one follow a change made through another.</summary>
    [Fact]
    public async Task A_change_through_a_second_instance_shows_at_once_on_the_first() =>
        await FiguresChecks.SecondInstanceAsync(s);

    [Fact]
    public async Task Orders_issued_at_the_same_moment_get_distinct_consecutive_numbers() =>
        await OrderChecks.ConcurrentNumbersAsync(s, await s.Client(Roles.Office));
}
