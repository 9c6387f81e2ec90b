namespace CreationWorkflow.Web.Tests.Access;

/// <summary>What a bad body breaks: a required member left out, a value of the wrong type, a text over its limit, a date or number out of range.</summary>
public enum Bad
{
    Missing,
    WrongType,
    TooLong,
    OutOfRange,
}

/// <summary>
/// One bad body for a route: what it breaks, the JSON member the answer must name, and the body. A body is JSON with the
/// placeholders of <see cref="AccessWorld.FillBody"/> plus <c>LONG(n)</c> (n characters of text) and <c>GUIDS(n)</c>
/// (n ids in a JSON array); or <c>multipart:</c> followed by form fields <c>name=value</c> (<c>text=…</c>, <c>cite=…</c>) and
/// <c>files=n</c> (n true PDFs) separated by <c>;</c>. A case without a body (<see cref="Na"/>) says why the route cannot be broken that way.
/// </summary>
public sealed record BodyCase(Bad Kind, string Field, string? Body, string? Why = null)
{
    public static BodyCase Na(Bad kind, string why) => new(kind, "", null, why);

    public override string ToString() => Body is null ? $"{Kind}: n/a ({Why})" : $"{Kind} → {Field}";
}

/// <summary>
/// Every operation of the OpenAPI document that takes a body, with one bad body per way it can be broken.
/// <see cref="BodySweepTests"/> fails when the document has a body route missing here (printing the rows to paste) or when
/// a route lacks a case (or an n/a reason) for one of the four kinds of <see cref="Bad"/>. Keys are the document's
/// "METHOD /path" (route constraints dropped); the sweep finds the route's caller in <see cref="EndpointInventory"/>.
/// </summary>
public static class BodyInventory
{
    private const string NoDates = "no date or number in the body";
    private const string NoText = "no text in the body";
    private const string AllOptional = "every member is optional";

    /// <summary>销号 and 提级督办 take the same body.</summary>
    private static readonly BodyCase[] OrderDecision =
    [
        new(Bad.Missing, "decision", "{}"),
        new(Bad.WrongType, "decision", """{"decision":false}"""),
        new(Bad.TooLong, "decision", """{"decision":"LONG(2001)"}"""),
        BodyCase.Na(Bad.OutOfRange, NoDates),
    ];

    public static readonly IReadOnlyDictionary<string, BodyCase[]> Cases = new Dictionary<string, BodyCase[]>
    {
        ["POST /api/auth/token"] =
        [
            new(Bad.Missing, "password", """{"userName":"office"}"""),
            new(Bad.WrongType, "userName", """{"userName":1,"password":"x"}"""),
            new(Bad.TooLong, "userName", """{"userName":"LONG(101)","password":"x"}"""),
            new(Bad.TooLong, "password", """{"userName":"office","password":"LONG(201)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/programmes/{id}/score"] =
        [
            new(Bad.Missing, "rule", """{"cases":[{"content":"无规则的案例"}]}"""),
            new(Bad.WrongType, "staffSize", """{"staffSize":"很多"}"""),
            new(Bad.TooLong, "content", """{"cases":[{"rule":"B1","content":"LONG(2001)"}]}"""),
            new(Bad.OutOfRange, "staffSize", """{"staffSize":2000000}"""),
        ],
        ["PUT /api/programmes/{id}/units/{name}/contact"] =
        [
            new(Bad.Missing, "email", "{}"),
            new(Bad.WrongType, "email", """{"email":5}"""),
            new(Bad.TooLong, "email", """{"email":"LONG(255)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PUT /api/programmes/{id}/units/{name}/contacts/{role}"] =
        [
            new(Bad.Missing, "name", "{}"),
            new(Bad.WrongType, "name", """{"name":5}"""),
            new(Bad.TooLong, "name", """{"name":"LONG(101)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/programmes/{id}/units/{name}/contacts/{role}/test"] =
        [
            new(Bad.Missing, "channel", "{}"),
            new(Bad.WrongType, "channel", """{"channel":5}"""),
            new(Bad.TooLong, "channel", """{"channel":"LONG(101)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PUT /api/programmes/{id}/groups/{name}"] =
        [
            new(Bad.Missing, "members", "{}"),
            new(Bad.WrongType, "members", """{"members":"市民宗委"}"""),
            new(Bad.TooLong, "members[0]", """{"members":["LONG(101)"]}"""),
            new(Bad.OutOfRange, "members", """{"members":GUIDS(1001)}"""),
        ],
        ["POST /api/campaigns"] =
        [
            new(Bad.Missing, "startDate", """{"programmeId":"hechi-2021"}"""),
            new(Bad.Missing, "programmeId", """{"startDate":"2022-01-01"}"""),
            new(Bad.WrongType, "startDate", """{"programmeId":"hechi-2021","startDate":20220101}"""),
            new(Bad.TooLong, "name", """{"programmeId":"hechi-2021","startDate":"2022-01-01","name":"LONG(201)"}"""),
            new(Bad.OutOfRange, "startDate", """{"programmeId":"hechi-2021","startDate":"2030-01-01"}"""),
            new(Bad.OutOfRange, "startDate", """{"programmeId":"hechi-2021","startDate":"0001-01-01"}"""),
            new(Bad.OutOfRange, "assessedUnits", """{"programmeId":"hechi-2021","startDate":"2022-01-01","assessedUnits":GUIDS(1001)}"""),
        ],
        ["POST /api/campaigns/{id}/migrate"] =
        [
            new(Bad.Missing, "version", "{}"),
            new(Bad.WrongType, "version", """{"version":"第二版"}"""),
            BodyCase.Na(Bad.TooLong, NoText),
            new(Bad.OutOfRange, "version", """{"version":0}"""),
        ],
        ["POST /api/campaigns/{id}/migration/preview"] =
        [
            new(Bad.Missing, "toVersion", "{}"),
            new(Bad.WrongType, "toVersion", """{"toVersion":"第二版"}"""),
            BodyCase.Na(Bad.TooLong, NoText),
            new(Bad.OutOfRange, "toVersion", """{"toVersion":0}"""),
        ],
        ["POST /api/campaigns/{id}/migration"] =
        [
            new(Bad.Missing, "toVersion", """{"acceptLoss":true}"""),
            new(Bad.WrongType, "acceptLoss", """{"toVersion":2,"acceptLoss":"是"}"""),
            BodyCase.Na(Bad.TooLong, NoText),
            new(Bad.OutOfRange, "toVersion", """{"toVersion":10000,"acceptLoss":true}"""),
        ],
        ["POST /api/workflows/{id}/versions"] =
        [
            new(Bad.Missing, "version", """{"id":"hechi-2021"}"""),
            new(Bad.WrongType, "version", """{"id":"hechi-2021","version":"第二版"}"""),
            new(Bad.TooLong, "$", """{"id":"LONG(600000)"}"""),
            BodyCase.Na(Bad.OutOfRange, "the version is numbered by the host; the fields' ranges are the loader's, checked one by one in WorkflowLoaderTests and WorkflowEditingTests"),
        ],
        ["POST /api/assignments/sign"] =
        [
            new(Bad.Missing, "phaseId", """{"campaignId":"CAMPAIGN"}"""),
            new(Bad.WrongType, "campaignId", """{"campaignId":"第一次创建","phaseId":"acceptance"}"""),
            new(Bad.TooLong, "phaseId", """{"campaignId":"CAMPAIGN","phaseId":"LONG(101)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PATCH /api/assignments/{id}"] =
        [
            new(Bad.Missing, "reason", """{"dueDate":"2022-06-30"}"""),
            new(Bad.WrongType, "dueDate", """{"reason":"改期","dueDate":"明天"}"""),
            new(Bad.TooLong, "reason", """{"reason":"LONG(2001)","dueDate":"2022-06-30"}"""),
            new(Bad.TooLong, "unit", """{"reason":"改派","unit":"LONG(101)"}"""),
            new(Bad.OutOfRange, "dueDate", """{"reason":"改期","dueDate":"9999-12-31"}"""),
            new(Bad.OutOfRange, "dueDate", """{"reason":"改期到过去","dueDate":"2022-02-01"}"""),
        ],
        ["POST /api/assignments/{id}/progress"] =
        [
            new(Bad.Missing, "text", "multipart:files=1"),
            BodyCase.Na(Bad.WrongType, "a form carries text only"),
            new(Bad.TooLong, "text", "multipart:text=LONG(2001);files=1"),
            new(Bad.OutOfRange, "files", "multipart:text=进展;files=11"),
        ],
        ["POST /api/assignments/{id}/lines/{itemNo}"] =
        [
            new(Bad.Missing, "text", "multipart:files=1"),
            new(Bad.WrongType, "cite", "multipart:text=进展;cite=不是编号"),
            new(Bad.WrongType, "noProgress", "multipart:noProgress=也许;noProgressReason=无"),
            new(Bad.TooLong, "text", "multipart:text=LONG(2001)"),
            new(Bad.TooLong, "noProgressReason", "multipart:noProgress=true;noProgressReason=LONG(2001)"),
            new(Bad.OutOfRange, "files", "multipart:text=进展;files=11"),
        ],
        ["POST /api/assignments/{id}/lines/{itemNo}/return"] =
        [
            new(Bad.Missing, "reason", "{}"),
            new(Bad.WrongType, "reason", """{"reason":1}"""),
            new(Bad.TooLong, "reason", """{"reason":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/assignments/{id}/return"] =
        [
            new(Bad.Missing, "reason", "{}"),
            new(Bad.WrongType, "reason", """{"reason":1}"""),
            new(Bad.TooLong, "reason", """{"reason":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/assignments/{id}/extension"] =
        [
            new(Bad.Missing, "dueDate", """{"reason":"延期"}"""),
            new(Bad.WrongType, "dueDate", """{"dueDate":"2022-13-45","reason":"延期"}"""),
            new(Bad.TooLong, "reason", """{"dueDate":"2022-06-30","reason":"LONG(2001)"}"""),
            new(Bad.OutOfRange, "dueDate", """{"dueDate":"9999-12-31","reason":"延期"}"""),
        ],
        ["POST /api/assignments/{id}/extension/approve"] =
        [
            BodyCase.Na(Bad.Missing, AllOptional),
            new(Bad.WrongType, "dueDate", """{"dueDate":true}"""),
            BodyCase.Na(Bad.TooLong, NoText),
            new(Bad.OutOfRange, "dueDate", """{"dueDate":"9999-12-31"}"""),
        ],
        ["POST /api/assignments/{id}/extension/refuse"] =
        [
            new(Bad.Missing, "reason", "{}"),
            new(Bad.WrongType, "reason", """{"reason":[]}"""),
            new(Bad.TooLong, "reason", """{"reason":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PUT /api/campaigns/{id}/assessment/items/{item}"] =
        [
            new(Bad.Missing, "facts", "{}"),
            new(Bad.WrongType, "checks", """{"facts":{"checks":{"ITEM.1":"是"}}}"""),
            new(Bad.TooLong, "sources", """{"facts":{},"sources":{"ITEM.1":"LONG(201)"}}"""),
            new(Bad.TooLong, "notes", """{"facts":{},"notes":{"place":"LONG(201)"}}"""),
            new(Bad.OutOfRange, "counts", """{"facts":{"counts":{"ITEM.1":200000}}}"""),
            new(Bad.OutOfRange, "evidence", """{"facts":{},"evidence":{"ITEM.1":GUIDS(51)}}"""),
        ],
        ["POST /api/campaigns/{id}/peer-inspections"] =
        [
            new(Bad.Missing, "inspector", """{"inspected":"市教育局"}"""),
            new(Bad.WrongType, "inspector", """{"inspector":[],"inspected":"市教育局"}"""),
            new(Bad.TooLong, "inspector", """{"inspector":"LONG(101)","inspected":"市教育局"}"""),
            BodyCase.Na(Bad.OutOfRange, "names only"),
        ],
        ["POST /api/peer-inspections/{id}/lines/{ruleId}"] =
        [
            new(Bad.Missing, "verdict", "multipart:note=说明"),
            BodyCase.Na(Bad.WrongType, "a form carries text only"),
            new(Bad.TooLong, "note", "multipart:verdict=conforms;note=LONG(2001)"),
            new(Bad.OutOfRange, "files", "multipart:verdict=conforms;files=11"),
        ],
        ["POST /api/peer-inspections/{id}/cancel"] =
        [
            new(Bad.Missing, "reason", "{}"),
            new(Bad.WrongType, "reason", """{"reason":false}"""),
            new(Bad.TooLong, "reason", """{"reason":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/peer-inspections/{id}/findings/{findingId}/rectify"] =
        [
            new(Bad.Missing, "rectifyBy", """{"requirement":"测试整改"}"""),
            new(Bad.WrongType, "rectifyBy", """{"requirement":"测试整改","rectifyBy":"明天"}"""),
            new(Bad.TooLong, "requirement", """{"requirement":"LONG(2001)","rectifyBy":"2022-06-30"}"""),
            new(Bad.OutOfRange, "rectifyBy", """{"requirement":"测试整改","rectifyBy":"9999-12-31"}"""),
        ],
        ["PUT /api/campaigns/{id}/assessment/rates/{ruleId}"] =
        [
            new(Bad.Missing, "source", """{"rate":95}"""),
            new(Bad.WrongType, "rate", """{"rate":"高","source":"测试问卷"}"""),
            new(Bad.TooLong, "source", """{"rate":95,"source":"LONG(201)"}"""),
            new(Bad.OutOfRange, "rate", """{"rate":150,"source":"测试问卷"}"""),
        ],
        ["POST /api/campaigns/{id}/assessment/items/{item}/review"] =
        [
            new(Bad.Missing, "decision", "{}"),
            new(Bad.WrongType, "decision", """{"decision":1}"""),
            new(Bad.TooLong, "reason", """{"decision":"return","reason":"LONG(2001)"}"""),
            new(Bad.OutOfRange, "counts", """{"decision":"adjust","reason":"调整","adjusted":{"facts":{"counts":{"ITEM.1":200000}}}}"""),
        ],
        ["POST /api/campaigns/{id}/bulletins"] =
        [
            new(Bad.Missing, "period", "{}"),
            new(Bad.WrongType, "period", """{"period":202202}"""),
            new(Bad.TooLong, "period", """{"period":"LONG(8)"}"""),
            new(Bad.OutOfRange, "period", """{"period":"2030-01"}"""),
        ],
        ["POST /api/campaigns/{id}/package"] =
        [
            new(Bad.Missing, "contactPhone", """{"applicant":"河池市","contactName":"王主任"}"""),
            new(Bad.WrongType, "applicant", """{"applicant":1,"contactName":"王主任","contactPhone":"0778-0000000"}"""),
            new(Bad.TooLong, "applicant", """{"applicant":"LONG(101)","contactName":"王主任","contactPhone":"0778-0000000"}"""),
            new(Bad.TooLong, "summary", """{"applicant":"河池市","contactName":"王主任","contactPhone":"0778-0000000","summary":"LONG(5001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/campaigns/{id}/road"] =
        [
            new(Bad.Missing, "date", "multipart:move=applyToRegion"),
            new(Bad.WrongType, "date", "multipart:move=applyToRegion;date=下个月"),
            new(Bad.TooLong, "notes", "multipart:move=applyToRegion;date=2022-03-01;notes=LONG(2001)"),
            new(Bad.OutOfRange, "date", "multipart:move=applyToRegion;date=2030-01-01"),
        ],
        ["POST /api/supervision/urge"] =
        [
            new(Bad.Missing, "assignmentId", "{}"),
            new(Bad.WrongType, "assignmentId", """{"assignmentId":"不是编号"}"""),
            new(Bad.TooLong, "note", """{"assignmentId":"ASSIGNMENT","note":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/supervision/orders"] =
        [
            new(Bad.Missing, "assignmentIds", """{"campaignId":"CAMPAIGN","unit":"UNIT","requirement":"整改","rectifyBy":"2022-03-31"}"""),
            new(Bad.WrongType, "rectifyBy", """{"campaignId":"CAMPAIGN","unit":"UNIT","assignmentIds":["ASSIGNMENT"],"requirement":"整改","rectifyBy":"下月"}"""),
            new(Bad.TooLong, "requirement", """{"campaignId":"CAMPAIGN","unit":"UNIT","assignmentIds":["ASSIGNMENT"],"requirement":"LONG(2001)","rectifyBy":"2022-03-31"}"""),
            new(Bad.OutOfRange, "rectifyBy", """{"campaignId":"CAMPAIGN","unit":"UNIT","assignmentIds":["ASSIGNMENT"],"requirement":"整改","rectifyBy":"9999-12-31"}"""),
            new(Bad.OutOfRange, "assignmentIds", """{"campaignId":"CAMPAIGN","unit":"UNIT","assignmentIds":GUIDS(201),"requirement":"整改","rectifyBy":"2022-03-31"}"""),
        ],
        ["POST /api/supervision/orders/{id}/feedback"] =
        [
            new(Bad.Missing, "text", "{}"),
            new(Bad.WrongType, "text", """{"text":{}}"""),
            new(Bad.TooLong, "text", """{"text":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/supervision/orders/{id}/close"] = OrderDecision,
        ["POST /api/supervision/orders/{id}/escalate"] = OrderDecision,
        ["POST /api/supervision/urge-unit"] =
        [
            new(Bad.Missing, "unit", """{"campaignId":"CAMPAIGN"}"""),
            new(Bad.WrongType, "campaignId", """{"campaignId":"不是编号","unit":"UNIT"}"""),
            new(Bad.TooLong, "note", """{"campaignId":"CAMPAIGN","unit":"UNIT","note":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/accounts/me/password"] =
        [
            new(Bad.Missing, "newPassword", """{"currentPassword":"Demo2021!"}"""),
            new(Bad.WrongType, "currentPassword", """{"currentPassword":1,"newPassword":"Another-2026x"}"""),
            new(Bad.TooLong, "newPassword", """{"currentPassword":"Demo2021!","newPassword":"LONG(201)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/accounts"] =
        [
            new(Bad.Missing, "roles", """{"userName":"sweep-user","displayName":"扫描用户"}"""),
            new(Bad.WrongType, "roles", """{"userName":"sweep-user","displayName":"扫描用户","roles":"office"}"""),
            new(Bad.TooLong, "userName", """{"userName":"LONG(101)","displayName":"扫描用户","roles":["office"]}"""),
            new(Bad.OutOfRange, "roles", """{"userName":"sweep-user","displayName":"扫描用户","roles":GUIDS(101)}"""),
        ],
        ["PUT /api/accounts/{id}/unit"] =
        [
            new(Bad.Missing, "unit", "{}"),
            new(Bad.WrongType, "unit", """{"unit":1}"""),
            new(Bad.TooLong, "unit", """{"unit":"LONG(101)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PUT /api/accounts/{id}/roles"] =
        [
            new(Bad.Missing, "roles", "{}"),
            new(Bad.WrongType, "roles", """{"roles":"office"}"""),
            new(Bad.TooLong, "unit", """{"roles":["unit"],"unit":"LONG(101)"}"""),
            new(Bad.OutOfRange, "roles", """{"roles":GUIDS(101)}"""),
        ],
        ["POST /api/programmes/imports"] =
        [
            new(Bad.Missing, "file", "multipart:text=没有文件"),
            BodyCase.Na(Bad.WrongType, "a form carries a file only; a file that is not XLSX/DOCX is the import's own refusal (ListImportTests)"),
            BodyCase.Na(Bad.TooLong, "the file's size is bounded by the request limit; the text fields are checked by the import (ListImportTests)"),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PUT /api/programmes/imports/{draft}/entries/{item}/rules"] =
        [
            new(Bad.Missing, "rules", "{}"),
            new(Bad.WrongType, "rules", """{"rules":"check"}"""),
            BodyCase.Na(Bad.TooLong, "texts are checked against a stored draft, which the access world has none of (ListImportTests)"),
            BodyCase.Na(Bad.OutOfRange, "points are checked against a stored draft, which the access world has none of (ListImportTests)"),
        ],
        ["POST /api/programmes/{id}/workflow"] =
        [
            BodyCase.Na(Bad.Missing, AllOptional),
            new(Bad.WrongType, "template", """{"template":1}"""),
            new(Bad.TooLong, "template", """{"template":"LONG(33)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PUT /api/programmes/imports/{draft}/units"] =
        [
            new(Bad.Missing, "decisions", "{}"),
            new(Bad.WrongType, "decisions", """{"decisions":"x"}"""),
            BodyCase.Na(Bad.TooLong, "names are matched against a stored draft, which the access world has none of (ListImportTests)"),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/programmes/{id}/register"] =
        [
            new(Bad.Missing, "name", """{"division":"金城江区","field":"organs"}"""),
            new(Bad.WrongType, "tenHundred", """{"division":"金城江区","field":"organs","name":"x","tenHundred":"是"}"""),
            new(Bad.TooLong, "name", """{"division":"金城江区","field":"organs","name":"LONG(101)"}"""),
            new(Bad.OutOfRange, "namedOn", """{"division":"金城江区","field":"organs","name":"x","state":"named","level":"national","namedOn":"1990-01-01"}"""),
        ],
        ["PUT /api/programmes/{id}/register/{placeId}"] =
        [
            new(Bad.Missing, "name", """{"field":"organs","state":"creating"}"""),
            new(Bad.WrongType, "tenHundred", """{"field":"organs","name":"x","tenHundred":"是"}"""),
            new(Bad.TooLong, "name", """{"field":"organs","name":"LONG(101)"}"""),
            new(Bad.OutOfRange, "namedOn", """{"field":"organs","name":"x","state":"named","level":"national","namedOn":"1990-01-01"}"""),
        ],
        ["POST /api/instructions"] =
        [
            new(Bad.Missing, "text", """{"campaignId":"CAMPAIGN","subject":"item","subjectKey":"ITEM","units":["UNIT"],"dueDate":"2022-06-30"}"""),
            new(Bad.WrongType, "dueDate", """{"campaignId":"CAMPAIGN","subject":"item","subjectKey":"ITEM","units":["UNIT"],"text":"批示","dueDate":"下月"}"""),
            new(Bad.TooLong, "text", """{"campaignId":"CAMPAIGN","subject":"item","subjectKey":"ITEM","units":["UNIT"],"text":"LONG(2001)","dueDate":"2022-06-30"}"""),
            new(Bad.OutOfRange, "dueDate", """{"campaignId":"CAMPAIGN","subject":"item","subjectKey":"ITEM","units":["UNIT"],"text":"批示","dueDate":"9999-12-31"}"""),
        ],
        ["POST /api/instructions/{id}/answer"] =
        [
            new(Bad.Missing, "text", "multipart:files=1"),
            BodyCase.Na(Bad.WrongType, "a form carries text only"),
            new(Bad.TooLong, "text", "multipart:text=LONG(2001);files=1"),
            new(Bad.OutOfRange, "files", "multipart:text=办理情况;files=11"),
        ],
        ["POST /api/instructions/{id}/close"] =
        [
            new(Bad.Missing, "note", "{}"),
            new(Bad.WrongType, "note", """{"note":false}"""),
            new(Bad.TooLong, "note", """{"note":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/programmes/{id}/register/{placeId}/move"] =
        [
            new(Bad.Missing, "to", "{}"),
            new(Bad.WrongType, "to", """{"to":1}"""),
            BodyCase.Na(Bad.TooLong, NoText),
            new(Bad.OutOfRange, "namedOn", """{"to":"named","level":"national","namedOn":"1990-01-01"}"""),
        ],
        ["POST /api/programmes/{id}/register/{placeId}/review"] =
        [
            new(Bad.Missing, "decision", "{}"),
            new(Bad.WrongType, "decision", """{"decision":false}"""),
            new(Bad.TooLong, "reason", """{"decision":"return","reason":"LONG(2001)"}"""),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/programmes/{id}/register/import"] =
        [
            new(Bad.Missing, "file", "multipart:text=没有文件"),
            BodyCase.Na(Bad.WrongType, "a form carries a file only; a file that is not XLSX is the import's own refusal (RegisterTests)"),
            BodyCase.Na(Bad.TooLong, NoText),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["PUT /api/programmes/{id}/denominators"] =
        [
            new(Bad.Missing, "source", """{"division":"金城江区","field":"organs","count":3}"""),
            new(Bad.WrongType, "count", """{"division":"金城江区","field":"organs","count":"很多","source":"测试"}"""),
            new(Bad.TooLong, "source", """{"division":"金城江区","field":"organs","count":3,"source":"LONG(201)"}"""),
            new(Bad.OutOfRange, "count", """{"division":"金城江区","field":"organs","count":2000000,"source":"测试"}"""),
        ],
        ["POST /api/programmes/{id}/contacts/import"] =
        [
            new(Bad.Missing, "file", "multipart:text=没有文件"),
            BodyCase.Na(Bad.WrongType, "a form carries a file only; a file that is not XLSX is the import's own refusal (ContactPageTests)"),
            BodyCase.Na(Bad.TooLong, NoText),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
        ["POST /api/accounts/import"] =
        [
            new(Bad.Missing, "file", "multipart:text=没有文件"),
            BodyCase.Na(Bad.WrongType, "a form carries a file only; a file that is not XLSX is the import's own refusal (AccountTests)"),
            BodyCase.Na(Bad.TooLong, NoText),
            BodyCase.Na(Bad.OutOfRange, NoDates),
        ],
    };

    /// <summary>The rows to paste for a body route found in the document but not listed.</summary>
    public static string RowFor(string key) =>
        $"[\"{key}\"] =\n[\n    new(Bad.Missing, \"FIELD\", \"{{}}\"),\n    new(Bad.WrongType, \"FIELD\", \"BODY\"),\n"
        + "    new(Bad.TooLong, \"FIELD\", \"BODY\"),\n    new(Bad.OutOfRange, \"FIELD\", \"BODY\"), // or BodyCase.Na(kind, why)\n],";
}
