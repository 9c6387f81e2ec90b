using CreationWorkflow.Web.Tests.Programmes;

namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>
/// Issue 12 point 7 in a real browser against the real executable (demo configuration, real clock): a new office brings
/// its own county list (<see cref="NewOfficeTests.CountyList"/>) → uploads it on 导入清单 → sets the one clause the reader
/// flags in place → confirms the one unit the directory lacks as a new unit → publishes → is sent to the new programme,
/// which has no workflow yet → chooses the generic workflow on 启动创建活动 → starts the campaign → creates the new unit's
/// clerk on 新建账户 → the clerk signs in with the temporary password, changes it, and finds the first task (签收任务) in
/// 我的任务. The API twin of every step is <see cref="NewOfficeTests"/>. Pages are shot into artifacts/screenshots/new-office-*.png.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NewOfficeJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task A_new_office_imports_its_list_fixes_a_clause_confirms_a_unit_publishes_starts_and_the_unit_sees_its_first_task()
    {
        var shot = 0;
        Task Shot(IPage page, string name) => BrowserHost.ShotAsync(page, $"new-office-{++shot:00}-{name}");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var id = $"county-{suffix}";
        var title = $"某县民族团结进步创建{suffix}";
        var office = await host.SignInAsync("office");
        var page = office.Desktop;

        // The pages of this journey that the phone sweep cannot reach (they need an imported programme) fit at phone width.
        async Task FitsPhone(string path)
        {
            await office.Phone.GotoAsync(host.Url + path);
            Assert.True(await BrowserHost.OverflowAsync(office.Phone) == 0, $"{path} scrolls sideways at {BrowserHost.PhoneWidth}px");
        }

        // 1. Upload the list.
        await page.GotoAsync($"{host.Url}/programmes/import");
        await page.SetInputFilesAsync("input[name=Upload]", new FilePayload
        {
            Name = "某县责任清单.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = NewOfficeTests.CountyList(),
        });
        await page.FillAsync("input[name=ProgrammeId]", id);
        await page.FillAsync("input[name=Title]", title);
        await page.SelectOptionAsync("select[name=BaseProgramme]", "hechi-2021");
        await Shot(page, "upload");
        await page.ClickAsync("button:has-text('导入并预览')");
        await page.WaitForURLAsync("**/programmes/import?draft=*");

        // 2. The preview: the one clause the reader could not read is marked; publishing is off.
        var flagged = page.Locator($"#entry-{NewOfficeTests.FlaggedItem}");
        Assert.Contains(NewOfficeTests.FlaggedClause, await flagged.Locator("mark").InnerTextAsync());
        Assert.Equal(1, await page.Locator("article.flagged").CountAsync());
        Assert.True(await page.Locator("#totals button:has-text('发布')").IsDisabledAsync());
        await Shot(page, "preview-flagged");

        // 3. Set the flagged clause in place: 达标得分, 2 points.
        await flagged.Locator("select[name='Rules[0].Kind']").SelectOptionAsync("check");
        await flagged.Locator("input[name='Rules[0].Points']").FillAsync("2");
        await flagged.Locator("button:has-text('保存规则')").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(0, await page.Locator("article.flagged").CountAsync());
        Assert.Contains("职责明确", await page.Locator($"#entry-{NewOfficeTests.FlaggedItem} ul.rules").InnerTextAsync());

        // 4. Confirm the unit the directory does not know as a new county unit.
        var units = page.Locator("#units");
        Assert.Contains(NewOfficeTests.NewUnit, await units.InnerTextAsync());
        await units.Locator("select[name='Decisions[0].Action']").SelectOptionAsync("create");
        await units.Locator("select[name='Decisions[0].Kind']").SelectOptionAsync("County");
        await units.Locator("button:has-text('保存单位确认')").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("全部核对无误，可以发布", await page.InnerTextAsync("#totals"));
        await Shot(page, "preview-ready");

        // 5. Publish: the new programme's page says what is next — it has no workflow yet.
        await page.ClickAsync("#totals button:has-text('发布')");
        await page.WaitForURLAsync($"**/programmes/{id}?published=1");
        var next = await page.InnerTextAsync("#next-step");
        Assert.Contains("已发布第1版", next);
        Assert.Contains("尚无工作流程", next);
        Assert.Contains(NewOfficeTests.NewUnit, await page.InnerTextAsync("main"));
        await Shot(page, "published");
        await FitsPhone($"/programmes/{id}?published=1");

        // 6. Choose the generic workflow on the campaign start page.
        await page.ClickAsync("#next-step a:has-text('选用工作流程')");
        await page.WaitForURLAsync($"**/campaigns/new?programme={id}");
        var choose = page.Locator($"#choose-workflow form:has(input[value='{id}'])");
        Assert.Contains(title, await choose.InnerTextAsync());
        await Shot(page, "choose-workflow");
        await FitsPhone($"/campaigns/new?programme={id}");
        await choose.Locator("button:has-text('选用通用流程')").ClickAsync();
        await page.WaitForURLAsync($"**/campaigns/new?programme={id}");
        Assert.Contains($"已为“{title}”选用通用流程", await page.InnerTextAsync("main"));
        Assert.Equal(0, await page.Locator($"#choose-workflow input[value='{id}']").CountAsync());
        var steps = await page.InnerTextAsync("#workflow");
        Assert.Contains("签收任务", steps);
        Assert.Contains("进展填报 · 责任单位 · 每月", steps);
        await FitsPhone($"/campaigns/new?programme={id}");

        // 7. Start the campaign today (the date the form proposes).
        var name = $"{title}活动";
        Assert.Equal(id, await page.InputValueAsync("select[name=ProgrammeId]"));
        await page.FillAsync("input[name=Name]", name);
        await Shot(page, "campaign-new");
        await page.ClickAsync("form button[type=submit]:has-text('启动')");
        await page.WaitForURLAsync($"{host.Url}/");
        Assert.Contains($"已启动创建活动“{name}”", await page.InnerTextAsync("main"));

        // 8. The new unit's clerk: an account bound to the new unit, its temporary password shown once.
        var userName = $"wlx{suffix}";
        await page.GotoAsync($"{host.Url}/accounts/new");
        await page.FillAsync("input[name=UserName]", userName);
        await page.FillAsync("input[name=DisplayName]", "文旅新局联络员");
        await page.CheckAsync("input[name=SelectedRoles][value=unit]");
        await page.SelectOptionAsync("select[name=Unit]", NewOfficeTests.NewUnit);
        await page.ClickAsync("form button:has-text('创建')");
        var temporary = (await page.InnerTextAsync("strong.password")).Trim();
        await Shot(page, "clerk-created");

        // 9. The clerk signs in at phone width, is made to change the temporary password, and finds the first task.
        var clerk = await BrowserHost.SignInAsync(host.Browser, host.Url, userName, temporary, phone: true);
        Assert.EndsWith("/account/password", new Uri(clerk.Url).AbsolutePath);
        await clerk.FillAsync("input[name=CurrentPassword]", temporary);
        await clerk.FillAsync("input[name=NewPassword]", "Wenlv-2026-new");
        await clerk.FillAsync("input[name=ConfirmPassword]", "Wenlv-2026-new");
        await clerk.ClickAsync("form button:has-text('修改密码')");
        await clerk.WaitForSelectorAsync("text=密码已修改");
        await clerk.GotoAsync($"{host.Url}/inbox");
        var inbox = await clerk.InnerTextAsync("main");
        Assert.Contains($"我的任务 {NewOfficeTests.NewUnit}", inbox);
        Assert.Contains("签收任务", inbox);
        Assert.Contains("成立创建工作领导小组", inbox);
        Assert.Equal(0, await BrowserHost.OverflowAsync(clerk));
        await Shot(clerk, "clerk-inbox");
    }
}
