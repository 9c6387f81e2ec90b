namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>A clock the test moves by hand (<see cref="Set"/>, <see cref="Advance"/>); injected as the host's TimeProvider.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start.ToUniversalTime();

    /// <summary>2022-05-06 09:00 in Beijing (01:00 UTC), a Friday.</summary>
    public TestClock()
        : this(new DateTimeOffset(2022, 5, 6, 1, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Set(DateTimeOffset value)
    {
        lock (gate)
        {
            now = value.ToUniversalTime();
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (gate)
        {
            now += by;
        }
    }
}
