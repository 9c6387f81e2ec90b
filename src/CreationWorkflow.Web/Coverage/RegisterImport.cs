namespace CreationWorkflow.Web.Coverage;

/// <summary>An import refused: every fault, each naming its row and column ("第3行 领域列：…"). Nothing was stored.</summary>
public sealed class RegisterImportException(string fileName, IReadOnlyList<string> errors) : SheetImportException(fileName, errors);

/// <summary>
/// A county's places from an XLSX sheet: columns 县（区）, 领域, 名称, 状态 (header in row 1, any order), and optionally
/// 命名级别, 命名日期, 十百工程示范点. Every row is checked by the same rules as a single entry
/// (<see cref="RegisterService.Check"/>) and every fault reported by row and column; duplicates within the sheet and
/// against the register are faults too. Then all places are stored in one transaction, or none.
/// </summary>
public sealed class RegisterImport(RegisterService register)
{
    public const long MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxRows = 2000;
    public static readonly IReadOnlyList<string> Columns = ["县（区）", "领域", "名称", "状态"];
    public static readonly IReadOnlyList<string> OptionalColumns = ["命名级别", "命名日期", "十百工程示范点"];

    /// <summary>The column a request member is entered in.</summary>
    private static string ColumnOf(string field) => field switch
    {
        "division" => "县（区）",
        "field" => "领域",
        "name" => "名称",
        "level" => "命名级别",
        "namedOn" => "命名日期",
        _ => "状态",
    };

    public async Task<int> ImportAsync(RegisterScope scope, string fileName, Stream content, long length, string actor, CancellationToken ct)
    {
        if (length > MaxFileBytes)
        {
            throw new RegisterImportException(fileName, [SheetImport.TooLarge(length, MaxFileBytes)]);
        }
        if (!scope.CanEdit)
        {
            throw new DomainException("file", "无权导入创建单位台账。", ErrorKind.Forbidden);
        }
        List<(int Row, Dictionary<string, string> Cells)> rows;
        try
        {
            rows = SheetImport.Read(fileName, content, Columns, OptionalColumns, MaxRows, "创建单位");
        }
        catch (SheetImportException e)
        {
            throw new RegisterImportException(fileName, e.Errors);
        }
        var errors = new List<string>();
        var parsed = new List<(int Row, PlaceRequest Place)>();
        var seen = new Dictionary<(string, string, string), int>();
        foreach (var (row, cells) in rows)
        {
            string Cell(string column) => cells.GetValueOrDefault(column)?.Trim() ?? "";
            var rowErrors = new List<string>();
            var state = PlaceState.NotStarted;
            if (Cell("状态") is { Length: > 0 } stateText)
            {
                if (PlaceLifecycle.Parse(stateText) is { } s)
                {
                    state = s;
                }
                else
                {
                    rowErrors.Add($"第{row}行 状态列：「{stateText}」不是创建状态（未启动、创建中、已验收、命名）。");
                }
            }
            var level = Cell("命名级别") is { Length: > 0 } levelText ? Naming.Parse(levelText) : null;
            if (level is null && Cell("命名级别") is { Length: > 0 } badLevel)
            {
                rowErrors.Add($"第{row}行 命名级别列：「{badLevel}」不是命名级别（县级、市级、自治区级、全国）。");
            }
            DateOnly? namedOn = null;
            if (Cell("命名日期") is { Length: > 0 } dateText)
            {
                if (DateOnly.TryParseExact(dateText, ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyy.M.d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    namedOn = d;
                }
                else if (double.TryParse(dateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 2958466)
                {
                    namedOn = DateOnly.FromDateTime(DateTime.FromOADate(serial)); // an Excel date cell holds its serial number
                }
                else
                {
                    rowErrors.Add($"第{row}行 命名日期列：「{dateText}」不是日期（如 2022-06-30）。");
                }
            }
            var tenHundred = Cell("十百工程示范点") switch
            {
                "" or "否" or "0" => false,
                "是" or "1" or "√" => true,
                var other => Fail($"第{row}行 十百工程示范点列：「{other}」须填“是”或“否”。"),
            };
            bool Fail(string message)
            {
                rowErrors.Add(message);
                return false;
            }
            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }
            PlaceRequest place;
            try
            {
                place = register.Check(scope, new PlaceRequest(Cell("县（区）"), Cell("领域"), Cell("名称"), state, level, namedOn, tenHundred));
            }
            catch (DomainException e)
            {
                errors.Add($"第{row}行 {ColumnOf(e.Field)}列：{e.Message}");
                continue;
            }
            if (!scope.MayEdit(place.Division))
            {
                errors.Add($"第{row}行 县（区）列：只能导入本县（区）（{scope.Division}）的创建单位，而不是「{place.Division}」。");
                continue;
            }
            var key = (place.Division, place.Field, place.Name);
            if (seen.TryGetValue(key, out var first))
            {
                errors.Add($"第{row}行 名称列：「{place.Name}」与第{first}行重复（同一县（区）同一领域）。");
                continue;
            }
            seen[key] = row;
            parsed.Add((row, place));
        }
        if (errors.Count == 0 && parsed.Count == 0)
        {
            errors.Add("第2行起没有创建单位数据。");
        }
        if (parsed.Count > 0)
        {
            var existing = await register.ExistingAsync(scope.Definition.ProgrammeId, parsed.Select(p => p.Place.Name).Distinct().ToList(), ct);
            errors.AddRange(parsed.Where(p => existing.Contains((p.Place.Division, p.Place.Field, p.Place.Name)))
                .Select(p => $"第{p.Row}行 名称列：{p.Place.Division}的「{scope.Definition.FieldName(p.Place.Field)}」领域已有名为「{p.Place.Name}」的创建单位。"));
        }
        if (errors.Count > 0)
        {
            throw new RegisterImportException(fileName, [.. errors.OrderBy(RowOf)]);
        }
        return await register.AddAllAsync(scope, [.. parsed.Select(p => p.Place)], actor, ct);
    }

    private static int RowOf(string error) =>
        error.StartsWith('第') && int.TryParse(new string(error.Skip(1).TakeWhile(char.IsDigit).ToArray()), out var n) ? n : 0;
}
