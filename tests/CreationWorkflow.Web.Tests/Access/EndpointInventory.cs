using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace CreationWorkflow.Web.Tests.Access;

/// <summary>Who may call an endpoint. <see cref="Anyone"/> includes anonymous callers.</summary>
[Flags]
public enum Who
{
    Nobody = 0,
    Office = 1,
    Unit = 2,
    Inspector = 4,
    Evaluator = 8,
    Leader = 16,
    Anyone = 32,
    Staff = Office | Inspector | Leader,
    SignedIn = Office | Unit | Inspector | Evaluator | Leader,
}

/// <summary>
/// One endpoint as a caller sees it: "GET /api/assignments/{id:guid}", or a Razor page handler
/// "POST /assignments/{id:guid}?handler=Acknowledge". <see cref="Allowed"/> is who passes the role check (a unit user
/// still sees only its own data); <see cref="Body"/> is a plausible JSON body (API) or form fields "a=1&amp;b=2" (pages),
/// so a refusal cannot hide behind a 400 for a malformed request.
/// </summary>
public sealed record Ep(string Method, string Route, Who Allowed, string? Body = null)
{
    public bool IsApi => Route.StartsWith("/api/", StringComparison.Ordinal);

    public bool IsPage => !IsApi && !Route.StartsWith("/openapi/", StringComparison.Ordinal);

    public string Key => $"{Method} {Route}";

    public bool Mutates => Method != "GET";

    public override string ToString() => Key;
}

/// <summary>
/// The checked-in classification of every endpoint of the host. <see cref="EndpointInventoryTests"/> fails when the
/// running app has an endpoint that is not here (classify it: add one line) or this lists one that is gone.
/// Route parameters are filled by <see cref="AccessWorld.Fill"/> from their name and the route's area.
/// </summary>
public static class EndpointInventory
{
    private const string Reason = """{"reason":"测试理由"}""";

    public static readonly IReadOnlyList<Ep> Table =
    [
        // Open to everyone: sign-in and the API description.
        new("GET", "/openapi/{documentName}.json", Who.Anyone),
        new("POST", "/api/auth/token", Who.Anyone, """{"userName":"nobody","password":"wrong-password"}"""),
        new("GET", "/account/login", Who.Anyone),
        new("POST", "/account/login", Who.Anyone, "UserName=nobody&Password=wrong-password"),
        // Operations: health probes are anonymous (no data in them); /metrics answers on the metrics port only.
        new("GET", "/health/live", Who.Anyone),
        new("GET", "/health/ready", Who.Anyone),
        new("GET", "/metrics", Who.Anyone),
        // The calendar feed and a message's read link: the token in the URL is the credential.
        new("GET", "/calendar/{token}.ics", Who.Anyone),
        new("GET", "/r/{token}", Who.Anyone),

        // API (bearer only).
        new("GET", "/api/auth/me", Who.SignedIn),
        new("GET", "/api/programmes", Who.SignedIn),
        new("GET", "/api/programmes/{id}/items", Who.SignedIn),
        new("GET", "/api/programmes/{id}/units", Who.SignedIn),
        new("POST", "/api/programmes/{id}/score", Who.SignedIn, """{"checks":{"1.1":true}}"""),
        new("PUT", "/api/programmes/{id}/units/{name}/contact", Who.Office, """{"email":"sweep@hechi.example"}"""),
        new("GET", "/api/programmes/{id}/contacts", Who.Office),
        new("PUT", "/api/programmes/{id}/units/{name}/contacts/{role}", Who.Office, """{"name":"张联络","phone":"13800000000"}"""),
        new("POST", "/api/programmes/{id}/units/{name}/contacts/{role}/test", Who.Office, """{"channel":"sms"}"""),
        new("POST", "/api/programmes/{id}/contacts/import", Who.Office, "multipart"),
        new("GET", "/api/programmes/{id}/groups", Who.Staff),
        new("PUT", "/api/programmes/{id}/groups/{name}", Who.Office, """{"members":["市民宗委"]}"""),
        // List import (issue 12): drafts are the office's; the export is the list itself, readable like it.
        new("POST", "/api/programmes/imports", Who.Office, "multipart"),
        new("GET", "/api/programmes/imports", Who.Office),
        new("PUT", "/api/programmes/imports/{draft}/entries/{item}/rules", Who.Office, """{"rules":[{"kind":"check","id":"x","text":"条款","points":1}]}"""),
        new("PUT", "/api/programmes/imports/{draft}/units", Who.Office, """{"decisions":[{"name":"某局","action":"create"}]}"""),
        new("POST", "/api/programmes/imports/{draft}/publish", Who.Office),
        new("DELETE", "/api/programmes/imports/{draft}", Who.Office),
        new("GET", "/api/programmes/{id}/workflow", Who.SignedIn),
        new("POST", "/api/programmes/{id}/workflow", Who.Office, """{"template":"generic"}"""),
        new("GET", "/api/programmes/{id}/list.xlsx", Who.SignedIn),
        new("POST", "/api/campaigns", Who.Office, """{"programmeId":"hechi-2021","startDate":"2022-01-01"}"""),
        new("GET", "/api/campaigns", Who.Staff),
        new("GET", "/api/campaigns/{id:guid}", Who.Staff),
        new("POST", "/api/campaigns/{id:guid}/migrate", Who.Office, """{"version":1}"""),
        new("POST", "/api/campaigns/{id:guid}/migration/preview", Who.Office, """{"toVersion":2}"""),
        new("POST", "/api/campaigns/{id:guid}/migration", Who.Office, """{"toVersion":2}"""),
        new("GET", "/api/workflows", Who.Staff),
        new("GET", "/api/workflows/{id}/{version:int}", Who.Staff),
        new("POST", "/api/workflows/{id}/versions", Who.Office, """{"id":"hechi-2021"}"""),
        new("GET", "/api/assignments/mine", Who.Unit),
        new("GET", "/api/assignments/mine/groups", Who.Unit),
        new("POST", "/api/assignments/sign", Who.Unit, """{"campaignId":"CAMPAIGN","phaseId":"acceptance"}"""),
        new("GET", "/api/assignments/{id:guid}", Who.Staff | Who.Unit),
        new("PATCH", "/api/assignments/{id:guid}", Who.Office, """{"reason":"测试改期","dueDate":"2022-12-30"}"""),
        new("POST", "/api/assignments/{id:guid}/acknowledge", Who.Unit | Who.Office, "{}"),
        new("POST", "/api/assignments/{id:guid}/progress", Who.Unit | Who.Office, "multipart"),
        new("POST", "/api/assignments/{id:guid}/submit", Who.Unit | Who.Office, "{}"),
        new("POST", "/api/assignments/{id:guid}/return", Who.Unit | Who.Office, Reason),
        new("POST", "/api/assignments/{id:guid}/approve", Who.Unit | Who.Office, "{}"),
        new("POST", "/api/assignments/{id:guid}/extension", Who.Unit | Who.Office, """{"dueDate":"2022-12-30","reason":"测试延期"}"""),
        new("POST", "/api/assignments/{id:guid}/extension/approve", Who.Office, "{}"),
        new("POST", "/api/assignments/{id:guid}/extension/refuse", Who.Office, Reason),
        new("GET", "/api/assignments/{id:guid}/trail", Who.Staff | Who.Unit),
        new("GET", "/api/assignments/{id:guid}/evidence/{fileId:guid}", Who.Staff | Who.Unit),
        new("GET", "/api/assignments/review-lines", Who.Unit),
        new("GET", "/api/assignments/{id:guid}/lines", Who.Staff | Who.Unit),
        new("POST", "/api/assignments/{id:guid}/lines/{itemNo:int}", Who.Unit | Who.Office, "multipart"),
        new("POST", "/api/assignments/{id:guid}/lines/{itemNo:int}/approve", Who.Unit | Who.Office, "{}"),
        new("POST", "/api/assignments/{id:guid}/lines/approve-mine", Who.Unit | Who.Office, "{}"),
        new("POST", "/api/assignments/review-lines/items/{itemNo:int}/approve", Who.Unit | Who.Office, "{}"),
        new("POST", "/api/assignments/{id:guid}/lines/{itemNo:int}/return", Who.Unit | Who.Office, Reason),
        new("PUT", "/api/campaigns/{id:guid}/assessment/items/{item}", Who.Office | Who.Unit, """{"facts":{"checks":{"ITEM.1":true}}}"""),
        new("PUT", "/api/campaigns/{id:guid}/assessment/rates/{ruleId}", Who.Office | Who.Evaluator, """{"rate":0.95,"source":"测试问卷"}"""),
        new("POST", "/api/campaigns/{id:guid}/assessment/items/{item}/review", Who.Office, """{"decision":"accept"}"""),
        new("GET", "/api/campaigns/{id:guid}/assessment/items/{item}/evidence-plan", Who.Staff | Who.Unit),
        // 互观互检: the office pairs; a unit sees and fills only the inspections it carries out.
        new("GET", "/api/campaigns/{id:guid}/peer-inspections", Who.Staff | Who.Unit),
        new("POST", "/api/campaigns/{id:guid}/peer-inspections", Who.Office, """{"inspector":"市民宗委","inspected":"市教育局"}"""),
        new("POST", "/api/campaigns/{id:guid}/peer-inspections/auto", Who.Office, "{}"),
        new("GET", "/api/peer-inspections/{id:guid}", Who.Staff | Who.Unit),
        new("POST", "/api/peer-inspections/{id:guid}/lines/{ruleId}", Who.Unit, "multipart"),
        new("POST", "/api/peer-inspections/{id:guid}/submit", Who.Unit, "{}"),
        new("POST", "/api/peer-inspections/{id:guid}/close", Who.Office, "{}"),
        new("POST", "/api/peer-inspections/{id:guid}/cancel", Who.Office, """{"reason":"测试撤销"}"""),
        new("POST", "/api/peer-inspections/{id:guid}/findings/{findingId:guid}/rectify", Who.Office, """{"requirement":"测试整改","rectifyBy":"2022-06-30"}"""),
        new("GET", "/api/peer-inspections/{id:guid}/photos/{photoId:guid}", Who.Staff | Who.Unit),
        new("GET", "/api/campaigns/{id:guid}/standing", Who.SignedIn),
        new("GET", "/api/campaigns/{id:guid}/burden", Who.Office),
        new("GET", "/api/campaigns/{id:guid}/bulletins", Who.Staff | Who.Unit),
        new("POST", "/api/campaigns/{id:guid}/bulletins", Who.Office, $$"""{"period":"{{AccessWorld.BulletinPeriod}}"}"""),
        new("GET", "/api/campaigns/{id:guid}/bulletins/{period}.docx", Who.Staff | Who.Unit),
        new("GET", "/api/campaigns/{id:guid}/bulletins/{period}.xlsx", Who.Staff | Who.Unit),
        new("GET", "/api/campaigns/{id:guid}/ranking", Who.Staff),
        new("GET", "/api/campaigns/{id:guid}/ranking.xlsx", Who.Staff),
        new("POST", "/api/campaigns/{id:guid}/package", Who.Office, """{"applicant":"河池市","contactName":"王主任","contactPhone":"0778-0000000"}"""),
        // The road after 90 (issue 13.3): office and leaders read it, the office records its steps.
        new("GET", "/api/campaigns/{id:guid}/road", Who.Office | Who.Leader),
        new("POST", "/api/campaigns/{id:guid}/road", Who.Office, "multipart"),
        new("GET", "/api/campaigns/{id:guid}/road/files/{fileId:guid}", Who.Office | Who.Leader),
        new("GET", "/api/supervision/board", Who.Staff),
        new("GET", "/api/supervision/board/summary", Who.Staff),
        new("GET", "/api/supervision/board/heatmap", Who.Staff),
        new("POST", "/api/supervision/urge-unit", Who.Office | Who.Inspector, """{"campaignId":"CAMPAIGN","unit":"UNIT"}"""),
        new("POST", "/api/supervision/urge", Who.Office | Who.Inspector, """{"assignmentId":"ASSIGNMENT"}"""),
        new("POST", "/api/supervision/orders", Who.Office | Who.Inspector,
            """{"campaignId":"CAMPAIGN","unit":"UNIT","assignmentIds":["ASSIGNMENT"],"requirement":"测试督办","rectifyBy":"2022-12-30"}"""),
        new("GET", "/api/instructions", Who.Staff | Who.Unit),
        new("POST", "/api/instructions", Who.Leader,
            """{"campaignId":"CAMPAIGN","subject":"item","subjectKey":"ITEM","units":["UNIT"],"text":"测试批示","dueDate":"2022-06-30"}"""),
        new("GET", "/api/instructions/{id:guid}", Who.Staff | Who.Unit),
        new("POST", "/api/instructions/{id:guid}/answer", Who.Unit, "multipart"),
        new("POST", "/api/instructions/{id:guid}/close", Who.Leader, """{"note":"测试办结"}"""),
        new("GET", "/api/instructions/{id:guid}/files/{fileId:guid}", Who.Staff | Who.Unit),
        new("GET", "/api/campaigns/{id:guid}/appraisal.xlsx", Who.Staff),
        new("GET", "/api/campaigns/{id:guid}/appraisal", Who.Staff),
        new("PUT", "/api/programmes/{id}/register/{placeId:long}", Who.Office | Who.Unit, """{"field":"organs","name":"越权修改机关","state":"creating"}"""),
        new("DELETE", "/api/programmes/{id}/register/{placeId:long}", Who.Office | Who.Unit),
        new("GET", "/api/supervision/orders", Who.Staff | Who.Unit),
        new("GET", "/api/supervision/orders/{id:guid}", Who.Staff | Who.Unit),
        new("POST", "/api/supervision/orders/{id:guid}/feedback", Who.Unit, """{"text":"测试反馈"}"""),
        new("POST", "/api/supervision/orders/{id:guid}/close", Who.Office | Who.Inspector, """{"decision":"测试销号"}"""),
        new("POST", "/api/supervision/orders/{id:guid}/escalate", Who.Office | Who.Inspector, """{"decision":"测试提级"}"""),
        new("GET", "/api/supervision/inspections", Who.Staff),
        new("GET", "/api/supervision/board.xlsx", Who.Staff),
        new("GET", "/api/campaigns/{id:guid}/score-table.xlsx", Who.Staff),
        new("GET", "/api/notifications", Who.SignedIn),
        new("POST", "/api/notifications/{id:long}/read", Who.SignedIn, "{}"),
        new("GET", "/api/notifications/unread-by-unit", Who.Office),
        new("GET", "/api/calendar/feeds/{unit}", Who.Office | Who.Unit),
        new("POST", "/api/calendar/feeds/{unit}", Who.Office | Who.Unit, "{}"),
        new("DELETE", "/api/calendar/feeds/{unit}", Who.Office | Who.Unit),
        new("POST", "/api/accounts/me/password", Who.SignedIn, """{"currentPassword":"Wrong-passw0rd","newPassword":"Sweep-passw0rd1"}"""),
        new("GET", "/api/accounts", Who.Office),
        new("POST", "/api/accounts", Who.Office, """{"userName":"sweepuser","displayName":"测试用户","roles":["leader"]}"""),
        new("GET", "/api/accounts/{id}", Who.Office),
        new("PUT", "/api/accounts/{id}/unit", Who.Office, """{"unit":"市委宣传部"}"""),
        new("PUT", "/api/accounts/{id}/roles", Who.Office, """{"roles":["leader"]}"""),
        new("POST", "/api/accounts/{id}/reset-password", Who.Office, "{}"),
        new("POST", "/api/accounts/{id}/deactivate", Who.Office, "{}"),
        new("POST", "/api/accounts/{id}/reactivate", Who.Office, "{}"),
        new("POST", "/api/accounts/import", Who.Office, "multipart"),
        new("GET", "/api/programmes/{id}/register", Who.Staff | Who.Unit),
        new("POST", "/api/programmes/{id}/register", Who.Office | Who.Unit, """{"division":"金城江区","field":"organs","name":"越权测试机关"}"""),
        new("POST", "/api/programmes/{id}/register/{placeId:long}/move", Who.Office | Who.Unit, """{"to":"creating"}"""),
        new("POST", "/api/programmes/{id}/register/{placeId:long}/review", Who.Office, """{"decision":"approve"}"""),
        new("POST", "/api/programmes/{id}/register/import", Who.Office | Who.Unit, "multipart"),
        new("GET", "/api/programmes/{id}/denominators", Who.Staff | Who.Unit),
        new("PUT", "/api/programmes/{id}/denominators", Who.Office | Who.Unit, """{"division":"金城江区","field":"organs","count":3,"source":"测试"}"""),
        new("GET", "/api/programmes/{id}/coverage", Who.Staff | Who.Unit),
        new("GET", "/api/campaigns/{id:guid}/coverage/proposal", Who.Staff | Who.Unit),
        new("POST", "/api/campaigns/{id:guid}/coverage/confirm", Who.Office | Who.Unit, "{}"),

        // Pages (cookie). GET renders; a POST handler is "?handler=Name" ("" for OnPost).
        new("GET", "/", Who.SignedIn),
        new("GET", "/account/denied", Who.SignedIn),
        new("GET", "/account/logout", Who.SignedIn),
        new("POST", "/account/logout", Who.SignedIn),
        new("GET", "/account/password", Who.SignedIn),
        new("POST", "/account/password", Who.SignedIn, "CurrentPassword=Wrong-passw0rd&NewPassword=Sweep-passw0rd1&ConfirmPassword=Sweep-passw0rd1"),
        new("GET", "/accounts", Who.Office),
        new("GET", "/accounts/new", Who.Office),
        new("POST", "/accounts/new", Who.Office, "UserName=sweepuser&DisplayName=测试用户&SelectedRoles=leader"),
        new("GET", "/accounts/{id}", Who.Office),
        new("POST", "/accounts/{id}?handler=Roles", Who.Office, "SelectedRoles=leader"),
        new("POST", "/accounts/{id}?handler=Unit", Who.Office, "Unit=市委宣传部"),
        new("POST", "/accounts/{id}?handler=Reset", Who.Office),
        new("POST", "/accounts/{id}?handler=Deactivate", Who.Office),
        new("POST", "/accounts/{id}?handler=Reactivate", Who.Office),
        new("GET", "/accounts/import", Who.Office),
        new("POST", "/accounts/import", Who.Office),
        new("GET", "/programmes", Who.SignedIn),
        new("GET", "/programmes/{id}", Who.SignedIn),
        new("GET", "/programmes/{id}/list.xlsx", Who.SignedIn),
        new("GET", "/programmes/import", Who.Office),
        new("GET", "/programmes/{id}/contacts", Who.Office),
        new("POST", "/programmes/{id}/contacts?handler=Save", Who.Office, "unit=UNIT&role=liaison&name=越权联络员&phone=13800000000"),
        new("POST", "/programmes/{id}/contacts?handler=Test", Who.Office, "unit=UNIT&role=liaison&channel=sms"),
        new("POST", "/programmes/{id}/contacts?handler=Import", Who.Office),
        new("POST", "/programmes/import", Who.Office),
        new("POST", "/programmes/import?handler=Rules", Who.Office, "Item=1&Rules[0].Kind=check&Rules[0].Text=x&Rules[0].Points=1"),
        new("POST", "/programmes/import?handler=Units", Who.Office, "Decisions[0].Name=某局&Decisions[0].Action=create"),
        new("POST", "/programmes/import?handler=Publish", Who.Office),
        new("POST", "/programmes/import?handler=Discard", Who.Office),
        new("GET", "/inbox", Who.Unit),
        new("POST", "/inbox?handler=Sign", Who.Unit, "campaignId=CAMPAIGN&phaseId=acceptance"),
        new("POST", "/inbox?handler=ApproveItem", Who.Unit, "itemNo=1"),
        new("GET", "/assignments/{id:guid}", Who.Staff | Who.Unit),
        new("GET", "/assignments/{id:guid}?handler=Evidence", Who.Staff | Who.Unit, "fileId=FILE"),
        new("POST", "/assignments/{id:guid}?handler=Acknowledge", Who.Unit | Who.Office),
        new("POST", "/assignments/{id:guid}?handler=Submit", Who.Unit | Who.Office),
        new("POST", "/assignments/{id:guid}?handler=Approve", Who.Unit | Who.Office),
        new("POST", "/assignments/{id:guid}?handler=Return", Who.Unit | Who.Office, "reason=测试退回"),
        new("POST", "/assignments/{id:guid}?handler=Extension", Who.Unit | Who.Office, "dueDate=2022-12-30&reason=测试延期"),
        new("POST", "/assignments/{id:guid}?handler=ApproveExtension", Who.Office),
        new("POST", "/assignments/{id:guid}?handler=RefuseExtension", Who.Office, "reason=测试不批准"),
        new("POST", "/assignments/{id:guid}?handler=Progress", Who.Unit | Who.Office, "text=测试进展"),
        new("POST", "/assignments/{id:guid}?handler=Line", Who.Unit | Who.Office, "itemNo=ITEM&text=测试条目"),
        new("POST", "/assignments/{id:guid}?handler=LineApprove", Who.Unit | Who.Office, "itemNo=ITEM"),
        new("POST", "/assignments/{id:guid}?handler=LinesApproveMine", Who.Unit | Who.Office),
        new("POST", "/assignments/{id:guid}?handler=LineReturn", Who.Unit | Who.Office, "itemNo=ITEM&reason=测试退回"),
        new("GET", "/supervision/board", Who.Staff),
        new("POST", "/supervision/board?handler=Urge", Who.Office | Who.Inspector, "assignmentId=ASSIGNMENT"),
        new("POST", "/supervision/board?handler=UrgeUnit", Who.Office | Who.Inspector, "unitName=UNIT&campaignId=CAMPAIGN"),
        new("GET", "/supervision/board.xlsx", Who.Staff),
        new("GET", "/assessment/rates", Who.Evaluator | Who.Office),
        new("GET", "/campaigns/{id:guid}/assessment", Who.Staff | Who.Unit),
        new("GET", "/campaigns/{id:guid}/peer-inspections", Who.Staff | Who.Unit),
        new("POST", "/campaigns/{id:guid}/peer-inspections?handler=Pair", Who.Office, "inspector=市民宗委&inspected=市教育局"),
        new("POST", "/campaigns/{id:guid}/peer-inspections?handler=Auto", Who.Office),
        new("GET", "/peer-inspections/{id:guid}", Who.Staff | Who.Unit),
        new("GET", "/peer-inspections/{id:guid}?handler=Photo", Who.Staff | Who.Unit, "photoId=PEERPHOTO"),
        new("POST", "/peer-inspections/{id:guid}?handler=Record", Who.Unit, "ruleId=ITEM.1&verdict=conforms"),
        new("POST", "/peer-inspections/{id:guid}?handler=Submit", Who.Unit),
        new("POST", "/peer-inspections/{id:guid}?handler=Rectify", Who.Office, "findingId=FINDING&rectifyBy=2022-06-30"),
        new("POST", "/peer-inspections/{id:guid}?handler=Close", Who.Office),
        new("POST", "/peer-inspections/{id:guid}?handler=Cancel", Who.Office, "reason=测试撤销"),
        new("GET", "/campaigns/{id:guid}/assessment/items/{item}", Who.Staff | Who.Unit),
        new("GET", "/campaigns/{id:guid}/assessment/items/{item}?handler=Evidence", Who.Staff | Who.Unit, "fileId=FILE"),
        new("POST", "/campaigns/{id:guid}/assessment/items/{item}?handler=Preview", Who.Office | Who.Unit, "check.ITEM.1=true"),
        new("POST", "/campaigns/{id:guid}/assessment/items/{item}?handler=Propose", Who.Office | Who.Unit, "check.ITEM.1=true"),
        new("POST", "/campaigns/{id:guid}/assessment/items/{item}?handler=Accept", Who.Office),
        new("POST", "/campaigns/{id:guid}/assessment/items/{item}?handler=Adjust", Who.Office, "check.ITEM.1=true&reason=测试调整"),
        new("POST", "/campaigns/{id:guid}/assessment/items/{item}?handler=Return", Who.Office, "reason=测试退回"),
        new("GET", "/campaigns/{id:guid}/assessment/rates", Who.Evaluator | Who.Office),
        new("POST", "/campaigns/{id:guid}/assessment/rates?handler=Rate", Who.Evaluator | Who.Office, "ruleId=7.2&rate=95&source=测试问卷"),
        new("GET", "/campaigns/{id:guid}/assessment/score-table.xlsx", Who.Staff),
        new("GET", "/campaigns/{id:guid}/setup", Who.Office),
        new("POST", "/campaigns/{id:guid}/setup?handler=Reassign", Who.Office, "assignmentId=ASSIGNMENT&unit=市委宣传部&reason=测试改派"),
        new("POST", "/campaigns/{id:guid}/setup?handler=Redate", Who.Office, "assignmentId=ASSIGNMENT&dueDate=2022-12-30&reason=测试改期"),
        new("POST", "/campaigns/{id:guid}/setup?handler=BulkReassign", Who.Office, "ids=ASSIGNMENT&unit=市委宣传部&reason=测试改派"),
        new("POST", "/campaigns/{id:guid}/setup?handler=ApproveExtensions", Who.Office, "ids=ASSIGNMENT"),
        new("POST", "/campaigns/{id:guid}/setup?handler=RefuseExtensions", Who.Office, "ids=ASSIGNMENT&note=测试不批准"),
        new("GET", "/ranking", Who.Staff),
        new("GET", "/campaigns/{id:guid}/ranking", Who.Staff),
        new("GET", "/campaigns/{id:guid}/ranking.xlsx", Who.Staff),
        new("GET", "/instructions", Who.Staff | Who.Unit),
        new("POST", "/instructions?handler=Issue", Who.Leader, "campaignId=CAMPAIGN&subject=Item&subjectKey=ITEM&units=UNIT&text=测试批示&dueDate=2022-06-30"),
        new("GET", "/instructions/{id:guid}", Who.Staff | Who.Unit),
        new("POST", "/instructions/{id:guid}?handler=Answer", Who.Unit, "text=测试办理"),
        new("POST", "/instructions/{id:guid}?handler=Close", Who.Leader, "note=测试办结"),
        new("GET", "/instructions/{id:guid}?handler=File", Who.Staff | Who.Unit, "fileId=INSTRUCTIONFILE"),
        new("GET", "/attention", Who.Staff),
        new("GET", "/campaigns/{id:guid}/appraisal.xlsx", Who.Staff),
        new("POST", "/programmes/{id}/register?handler=Edit", Who.Office | Who.Unit, "placeId=PLACE&field=organs&name=越权修改机关&state=Creating"),
        new("POST", "/programmes/{id}/register?handler=Delete", Who.Office | Who.Unit, "placeId=PLACE"),
        new("GET", "/supervision/orders", Who.Staff | Who.Unit),
        new("GET", "/supervision/orders/new", Who.Office | Who.Inspector, "assignment=ASSIGNMENT"),
        new("POST", "/supervision/orders/new", Who.Office | Who.Inspector, "assignment=ASSIGNMENT&assignmentIds=ASSIGNMENT&requirement=测试督办&rectifyBy=2030-12-30"),
        new("GET", "/supervision/orders/{id:guid}", Who.Staff | Who.Unit),
        new("POST", "/supervision/orders/{id:guid}?handler=Answer", Who.Unit, "text=测试反馈"),
        new("POST", "/supervision/orders/{id:guid}?handler=Close", Who.Office | Who.Inspector, "decision=测试销号"),
        new("POST", "/supervision/orders/{id:guid}?handler=Escalate", Who.Office | Who.Inspector, "decision=测试提级"),
        new("GET", "/campaigns/new", Who.Office),
        new("GET", "/campaigns/{id:guid}/migration", Who.Office),
        new("POST", "/campaigns/{id:guid}/migration", Who.Office, "To=2"),
        new("GET", "/workflows", Who.Staff),
        new("GET", "/workflows/{id}/edit", Who.Office),
        new("POST", "/workflows/{id}/edit", Who.Office, "BaseVersion=2&Title=越权修改"),
        new("POST", "/workflows/{id}/edit?handler=Json", Who.Office, "BaseVersion=2&Json=%7B%7D"),
        new("POST", "/campaigns/new", Who.Office, "ProgrammeId=hechi-2021&StartDate=2022-01-01"),
        new("POST", "/campaigns/new?handler=Workflow", Who.Office, "ProgrammeId=hechi-2021"),
        new("GET", "/campaigns/{id:guid}/acceptance", Who.Office | Who.Leader),
        new("POST", "/campaigns/{id:guid}/acceptance?handler=Package", Who.Office, "Applicant=河池市&ContactName=王主任&ContactPhone=0778-0000000"),
        new("POST", "/campaigns/{id:guid}/acceptance?handler=Road", Who.Office, "move=applyToRegion&date=2022-03-01&result=测试"),
        new("GET", "/campaigns/{id:guid}/acceptance?handler=RoadFile", Who.Office | Who.Leader, "fileId=ROADFILE"),
        new("GET", "/campaigns/{id:guid}/bulletins", Who.Staff | Who.Unit),
        new("GET", "/campaigns/{id:guid}/bulletins?handler=Download", Who.Staff | Who.Unit, $"period={AccessWorld.BulletinPeriod}&format=docx"),
        new("POST", "/campaigns/{id:guid}/bulletins?handler=Build", Who.Office, $"period={AccessWorld.BulletinPeriod}"),
        new("GET", "/calendar", Who.Office | Who.Unit, "unit=UNIT"),
        new("POST", "/calendar?handler=Issue", Who.Office | Who.Unit, "unit=UNIT"),
        new("POST", "/calendar?handler=Revoke", Who.Office | Who.Unit, "unit=UNIT"),
        new("GET", "/programmes/{id}/register", Who.Staff | Who.Unit),
        new("POST", "/programmes/{id}/register?handler=Add", Who.Office | Who.Unit, "division=金城江区&field=organs&name=越权测试机关"),
        new("POST", "/programmes/{id}/register?handler=Move", Who.Office | Who.Unit, "placeId=PLACE&to=创建中"),
        new("POST", "/programmes/{id}/register?handler=Review", Who.Office, "placeId=PLACE&decision=approve"),
        new("POST", "/programmes/{id}/register?handler=Denominator", Who.Office | Who.Unit, "division=金城江区&field=organs&count=3&source=测试"),
        new("POST", "/programmes/{id}/register?handler=Import", Who.Office | Who.Unit),
        new("GET", "/programmes/{id}/coverage", Who.Staff | Who.Unit),
        new("POST", "/programmes/{id}/coverage?handler=Confirm", Who.Office | Who.Unit),
        new("GET", "/operations", Who.Office),
        new("POST", "/operations?handler=RetryMail", Who.Office, "id=1"),
        new("POST", "/operations?handler=DiscardMail", Who.Office, "id=1"),
        new("POST", "/operations?handler=Retry", Who.Office, "id=1"),
        new("POST", "/operations?handler=Discard", Who.Office, "id=1"),
    ];

    public static readonly IReadOnlyDictionary<string, Ep> ByKey = Table.ToDictionary(e => e.Key);

    /// <summary>What the running app exposes: minimal API endpoints by their HTTP methods, Razor pages by GET plus each handler.</summary>
    public static async Task<IReadOnlyList<string>> DiscoverAsync(IServiceProvider services)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var loader = services.GetRequiredService<PageLoader>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                found.Add($"GET {route}");
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                foreach (var handler in compiled.HandlerMethods)
                {
                    var verb = handler.HttpMethod.ToUpperInvariant();
                    var name = handler.Name is { Length: > 0 } n ? $"?handler={n}" : "";
                    if (verb != "GET" || name != "")
                    {
                        found.Add($"{verb} {route}{name}");
                    }
                }
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
            {
                found.Add($"{method} {route}");
            }
        }
        return [.. found];
    }

    /// <summary>A line to paste into <see cref="Table"/> for an endpoint found but not classified.</summary>
    public static string RowFor(string key)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        return $"new(\"{key[..space]}\", \"{key[(space + 1)..]}\", Who.SignedIn /* TODO: who may call it? */),";
    }
}
