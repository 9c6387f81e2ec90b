namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>A clock that moves only when told: <see cref="Advance"/>, <see cref="SetUtcNow"/>. Local time zone: UTC.</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start.ToUniversalTime();

    /// <summary>2022-05-06 09:00 in Beijing (01:00 UTC), a Friday.</summary>
    public FakeTimeProvider()
        : this(new DateTimeOffset(2022, 5, 6, 1, 0, 0, TimeSpan.Zero))
    {
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_lock)
        {
            _now += by;
        }
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_lock)
        {
            _now = value.ToUniversalTime();
        }
    }
}
