namespace CreationWorkflow.Core.Tests.Assignments;

/// <summary>
/// The inbox's groups (<see cref="InboxWindow"/>) and the working week they stand on (<see cref="Calendar.WorkingDayCalendar.EndOfWorkingWeek"/>),
/// case by case on China's 2022 calendar: 清明 (4-2 Saturday worked, 4-3 … 4-5 off) and 国庆 (10-1 … 10-7 off, 10-8 and 10-9 worked).
/// </summary>
public class InboxGroupTests
{
    private static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static TheoryData<string, string, string> Weeks => new()
    {
        // why, day → end of its working week
        { "a Wednesday: that Friday", "2022-03-16", "2022-03-18" },
        { "a Friday is its own week's end", "2022-03-18", "2022-03-18" },
        { "a Saturday: the coming week's Friday", "2022-03-19", "2022-03-25" },
        { "a Sunday: the coming week's Friday", "2022-03-20", "2022-03-25" },
        { "before 清明 the worked Saturday ends the week", "2022-04-01", "2022-04-02" },
        { "on 清明 (Sunday, off): the week after, whose Monday and Tuesday are off", "2022-04-03", "2022-04-08" },
        { "a 国庆 day: the week holding the first working day (Saturday 10-8), ended by the worked Sunday", "2022-10-03", "2022-10-09" },
        { "the worked Sunday ends its own week", "2022-10-09", "2022-10-09" },
    };

    [Theory]
    [MemberData(nameof(Weeks))]
    public void End_of_the_working_week(string why, string day, string end)
    {
        Assert.True(D(end) == Repo.Calendar.EndOfWorkingWeek(D(day)), $"{why}: expected {end}, got {Repo.Calendar.EndOfWorkingWeek(D(day)):yyyy-MM-dd}");
        Assert.True(Repo.Calendar.IsWorkingDay(D(end)));
    }

    public static TheoryData<string, AssignmentState, string, bool, string, InboxGroup> Cases => new()
    {
        // why, state, due, as reviewer?, today → group
        { "due yesterday, not filed: late", AssignmentState.Assigned, "2022-03-15", false, "2022-03-16", InboxGroup.Late },
        { "returned past due: late", AssignmentState.Returned, "2022-03-01", false, "2022-03-16", InboxGroup.Late },
        { "in progress past due: late", AssignmentState.InProgress, "2022-03-10", false, "2022-03-16", InboxGroup.Late },
        { "due today: this week", AssignmentState.Acknowledged, "2022-03-16", false, "2022-03-16", InboxGroup.DueThisWeek },
        { "due this Friday: this week", AssignmentState.Assigned, "2022-03-18", false, "2022-03-16", InboxGroup.DueThisWeek },
        { "due on the Saturday after: before the next working day, this week", AssignmentState.Assigned, "2022-03-19", false, "2022-03-16", InboxGroup.DueThisWeek },
        { "due next Monday: later", AssignmentState.Assigned, "2022-03-21", false, "2022-03-16", InboxGroup.Later },
        { "on a Saturday, next week's Friday is this week", AssignmentState.InProgress, "2022-03-25", false, "2022-03-19", InboxGroup.DueThisWeek },
        { "清明: due on the days off before the next working day is this week", AssignmentState.Assigned, "2022-04-05", false, "2022-04-01", InboxGroup.DueThisWeek },
        { "清明: due the Wednesday after is later", AssignmentState.Assigned, "2022-04-06", false, "2022-04-01", InboxGroup.Later },
        { "submitted, waiting for review: done for the unit", AssignmentState.Submitted, "2022-03-18", false, "2022-03-16", InboxGroup.Done },
        { "submitted late: done for the unit, not late", AssignmentState.Submitted, "2022-03-01", false, "2022-03-16", InboxGroup.Done },
        { "approved", AssignmentState.Approved, "2022-03-01", false, "2022-03-16", InboxGroup.Done },
        { "cancelled", AssignmentState.Cancelled, "2022-03-18", false, "2022-03-16", InboxGroup.Done },
        { "as reviewer: submitted to me", AssignmentState.Submitted, "2022-03-01", true, "2022-03-16", InboxGroup.ToReview },
        { "as reviewer: submitted, due later, still to review", AssignmentState.Submitted, "2022-05-01", true, "2022-03-16", InboxGroup.ToReview },
        { "as reviewer: returned, nothing to do", AssignmentState.Returned, "2022-03-01", true, "2022-03-16", InboxGroup.Done },
        { "as reviewer: approved", AssignmentState.Approved, "2022-03-01", true, "2022-03-16", InboxGroup.Done },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_group_of_a_task(string why, AssignmentState state, string due, bool reviewing, string today, InboxGroup group)
    {
        var got = Deadline.InboxGroupOf(state, D(due), D(today), Repo.Calendar, reviewing);
        Assert.True(group == got, $"{why}: expected {group}, got {got}");
        // Late in the inbox is the light rule's late.
        Assert.Equal(!reviewing && Deadline.IsLate(state, D(due), D(today)), got == InboxGroup.Late);
        // The group's range (what queries filter on) holds the task; no other range does.
        var window = Deadline.Inbox(D(today), Repo.Calendar);
        Assert.Equal(
            group == InboxGroup.Done && !window.Range(InboxGroup.Done).Holds(state, D(due), reviewing) ? [] : [group],
            InboxWindow.Groups.Where(g => window.Range(g).Holds(state, D(due), reviewing)));
    }

    [Fact]
    public void Every_own_task_falls_in_exactly_one_group_and_the_keys_round_trip()
    {
        var window = Deadline.Inbox(D("2022-04-01"), Repo.Calendar);
        Assert.Equal(D("2022-04-05"), window.ThisWeekUntil);
        for (var due = D("2022-03-01"); due <= D("2022-05-01"); due = due.AddDays(1))
        {
            foreach (var state in Enum.GetValues<AssignmentState>())
            {
                Assert.Single(InboxWindow.Groups, g => window.Range(g).Holds(state, due, reviewing: false));
            }
        }
        Assert.All(InboxWindow.Groups, g => Assert.Equal(g, InboxWindow.Parse(InboxWindow.Key(g))));
        Assert.Null(InboxWindow.Parse("soon"));
        Assert.Equal(["逾期", "本周到期", "待我审核", "以后", "已交/已办结"], InboxWindow.Groups.Select(InboxWindow.Chinese));
    }

    public static TheoryData<string, AssignmentState, string, string?, bool> OnTimeCases => new()
    {
        // why, state, due, first delivered on → on time
        { "submitted on the due date", AssignmentState.Submitted, "2022-03-31", "2022-03-31", true },
        { "submitted the day after", AssignmentState.Submitted, "2022-03-31", "2022-04-01", false },
        { "approved, delivered early", AssignmentState.Approved, "2022-03-31", "2022-03-20", true },
        { "approved, delivered late", AssignmentState.Approved, "2022-03-31", "2022-04-06", false },
        { "returned after an on-time delivery: owed again, not counted", AssignmentState.Returned, "2022-03-31", "2022-03-30", false },
        { "never delivered", AssignmentState.InProgress, "2022-03-31", null, false },
        { "cancelled", AssignmentState.Cancelled, "2022-03-31", "2022-03-30", false },
    };

    [Theory]
    [MemberData(nameof(OnTimeCases))]
    public void On_time_is_the_first_delivery_by_the_due_date(string why, AssignmentState state, string due, string? on, bool onTime)
    {
        Assert.True(onTime == Deadline.OnTime(state, D(due), on is null ? null : D(on)), why);
    }

    [Fact]
    public void The_on_time_rate_rounds_to_one_decimal_and_is_empty_when_nothing_is_due()
    {
        Assert.Null(Deadline.OnTimeRate(0, 0));
        Assert.Equal(66.7m, Deadline.OnTimeRate(2, 3));
        Assert.Equal(100m, Deadline.OnTimeRate(5, 5));
        Assert.Equal(0m, Deadline.OnTimeRate(0, 4));
    }
}
