namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>
/// A test class whose tests each start their own host (xUnit makes one instance per test) on its own SQLite file, clock and
/// settings as given; the host is stopped and its folders deleted after each test.
/// </summary>
public abstract class HostTest(AppFactory app) : IDisposable
{
    protected AppFactory App { get; } = app;

    /// <summary>The host's virtual clock (the one it was made with).</summary>
    protected TestClock Clock => App.Clock ?? throw new InvalidOperationException("The host was made without a test clock.");

    /// <summary>A host on a virtual clock at <paramref name="now"/>.</summary>
    protected static AppFactory At(DateTimeOffset now) => new() { Clock = new TestClock(now) };

    /// <summary>A host on a virtual clock at 10:00 China time on the day, the clock most page tests start from.</summary>
    protected static AppFactory AtChinaMorning(int year, int month, int day) => At(new(year, month, day, 10, 0, 0, TimeSpan.FromHours(8)));

    public void Dispose()
    {
        App.Dispose();
        App.DeleteFolders();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// One host (a real SQLite file) shared by the tests of a class that uses it as its class fixture; stopped and its folders
/// deleted with the class.
/// </summary>
public sealed class ClassHost : IDisposable
{
    public AppFactory App { get; } = new();

    public void Dispose()
    {
        App.Dispose();
        App.DeleteFolders();
    }
}
