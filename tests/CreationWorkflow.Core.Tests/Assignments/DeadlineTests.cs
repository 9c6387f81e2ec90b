namespace CreationWorkflow.Core.Tests.Assignments;

/// <summary>
/// The one rule for lights and lateness (<see cref="Deadline"/>), case by case, on China's 2022 calendar. The monthly
/// period is March 2022 (3-1 … 3-31, midpoint 3-16); the due date Friday 2022-04-08 comes after 清明 (4-3 … 4-5 off,
/// Saturday 4-2 worked).
/// </summary>
public class DeadlineTests
{
    private static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly PeriodWindow March = new(D("2022-03-01"), D("2022-03-31"));

    public static TheoryData<string, AssignmentState, string, bool, string, Light, int, int> Cases => new()
    {
        // why, state, due, monthly period?, today → light, calendar days late, working days late
        { "nothing filed, before the midpoint", AssignmentState.Assigned, "2022-04-08", true, "2022-03-15", Light.None, 0, 0 },
        { "序时进度: nothing filed at the midpoint", AssignmentState.Assigned, "2022-04-08", true, "2022-03-16", Light.Yellow, 0, 0 },
        { "序时进度: signed for is not filed", AssignmentState.Acknowledged, "2022-04-08", true, "2022-03-16", Light.Yellow, 0, 0 },
        { "progress filed: on schedule", AssignmentState.InProgress, "2022-04-08", true, "2022-03-17", Light.None, 0, 0 },
        { "no period: no 序时进度", AssignmentState.Assigned, "2022-04-08", false, "2022-03-17", Light.None, 0, 0 },
        { "4 working days left over 清明: not blue yet", AssignmentState.Assigned, "2022-04-08", false, "2022-04-01", Light.None, 0, 0 },
        { "4 working days left, period past its midpoint", AssignmentState.Assigned, "2022-04-08", true, "2022-04-01", Light.Yellow, 0, 0 },
        { "2 working days left: blue before 序时进度", AssignmentState.Assigned, "2022-04-08", true, "2022-04-06", Light.Blue, 0, 0 },
        { "3 working days left: blue", AssignmentState.InProgress, "2022-04-08", false, "2022-04-02", Light.Blue, 0, 0 },
        { "due today: blue", AssignmentState.InProgress, "2022-04-08", false, "2022-04-08", Light.Blue, 0, 0 },
        { "returned: yellow", AssignmentState.Returned, "2022-04-08", true, "2022-03-10", Light.Yellow, 0, 0 },
        { "returned and due soon: still yellow", AssignmentState.Returned, "2022-04-08", false, "2022-04-07", Light.Yellow, 0, 0 },
        { "a Saturday past due: red, no working day lost", AssignmentState.Assigned, "2022-04-08", true, "2022-04-09", Light.Red, 1, 0 },
        { "Monday past due: red", AssignmentState.Acknowledged, "2022-04-08", true, "2022-04-11", Light.Red, 3, 1 },
        { "progress filed but past due: red", AssignmentState.InProgress, "2022-04-08", true, "2022-04-11", Light.Red, 3, 1 },
        { "returned and past due: red", AssignmentState.Returned, "2022-04-08", false, "2022-04-20", Light.Red, 12, 8 },
        { "over 春节 (1-29, 1-30 worked; 1-31 … 2-6 off)", AssignmentState.Assigned, "2022-01-28", false, "2022-02-07", Light.Red, 10, 3 },
        { "caught up: submitted late turns back", AssignmentState.Submitted, "2022-04-08", true, "2022-04-11", Light.None, 0, 0 },
        { "approved", AssignmentState.Approved, "2022-04-08", true, "2022-04-11", Light.None, 0, 0 },
        { "cancelled", AssignmentState.Cancelled, "2022-04-08", true, "2022-04-11", Light.None, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Light_and_days_late(string why, AssignmentState state, string due, bool monthly, string today, Light light, int daysLate, int workingDaysLate)
    {
        var status = Deadline.On(state, D(due), monthly ? March : null, D(today), Repo.Calendar);
        Assert.True((light, daysLate, workingDaysLate) == (status.Light, status.DaysLate, status.WorkingDaysLate),
            $"{why}: expected {light}/{daysLate}/{workingDaysLate}, got {status.Light}/{status.DaysLate}/{status.WorkingDaysLate}");
        // Late, days late and the assignment's own view are the same rule.
        Assert.Equal(light == Light.Red, status.Late);
        Assert.Equal(status.Late, Deadline.IsLate(state, D(due), D(today)));
        Assert.Equal(daysLate, Deadline.DaysLate(state, D(due), D(today)));
        var assignment = Assignment.Restore(Guid.NewGuid(), "hechi-2021", 1, "fullPush", "市教育局", D(due), null, state, null, null);
        Assert.Equal((status.Late, daysLate), (assignment.IsOverdue(D(today)), assignment.DaysLate(D(today))));
    }

    [Fact]
    public void Blue_ends_three_working_days_ahead_and_the_midpoint_halves_the_period()
    {
        // From Friday 4-1 the three working days are 4-2 (worked Saturday), 4-6 and 4-7.
        Assert.Equal(D("2022-04-07"), Deadline.BlueUntil(D("2022-04-01"), Repo.Calendar));
        Assert.Equal(D("2022-03-16"), March.Midpoint);
        Assert.Equal(D("2022-02-15"), new PeriodWindow(D("2022-02-01"), D("2022-02-28")).Midpoint);
        Assert.Equal(D("2022-02-15"), new PeriodWindow(D("2022-01-01"), D("2022-03-31")).Midpoint);
        Assert.Equal(["蓝灯", "黄灯", "红灯", "正常"], new[] { Light.Blue, Light.Yellow, Light.Red, Light.None }.Select(Deadline.Chinese));
    }
}
