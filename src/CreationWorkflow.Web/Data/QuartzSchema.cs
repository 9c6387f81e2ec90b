using System.Text;

namespace CreationWorkflow.Web.Data;

/// <summary>
/// The tables Quartz.NET's ADO job store expects (prefix qrtz_), described once and rendered for each
/// provider. Our migrations create them, so the scheduler's state lives in our database and versions with it.
/// </summary>
public static class QuartzSchema
{
    private enum T { Name, LongName, Text, BigInt, Int, Bool, Blob, Numeric }

    private sealed record Col(string Name, T Type, bool Null = false, string? Default = null);

    private sealed record Table(string Name, Col[] Columns, string[] Key, (string[] Cols, string Table, bool Cascade)? ForeignKey = null);

    private static readonly string[] TriggerKey = ["sched_name", "trigger_name", "trigger_group"];

    private static Col[] TriggerRef => [new("sched_name", T.Name), new("trigger_name", T.Name), new("trigger_group", T.Name)];

    private static readonly Table[] Tables =
    [
        new("qrtz_job_details",
        [
            new("sched_name", T.Name), new("job_name", T.Name), new("job_group", T.Name), new("description", T.LongName, true),
            new("job_class_name", T.LongName), new("is_durable", T.Bool), new("is_nonconcurrent", T.Bool), new("is_update_data", T.Bool),
            new("requests_recovery", T.Bool), new("job_data", T.Blob, true),
        ], ["sched_name", "job_name", "job_group"]),
        new("qrtz_triggers",
        [
            new("sched_name", T.Name), new("trigger_name", T.Name), new("trigger_group", T.Name), new("job_name", T.Name), new("job_group", T.Name),
            new("description", T.LongName, true), new("next_fire_time", T.BigInt, true), new("prev_fire_time", T.BigInt, true),
            new("priority", T.Int, true), new("trigger_state", T.Name), new("trigger_type", T.Name), new("start_time", T.BigInt),
            new("end_time", T.BigInt, true), new("calendar_name", T.LongName, true), new("misfire_instr", T.Int, true),
            new("misfire_orig_fire_time", T.BigInt, true), new("execution_group", T.LongName, true), new("preferred_node", T.LongName, true),
            new("preferred_node_auto", T.Bool, false, "false"), new("job_data", T.Blob, true),
        ], TriggerKey, (["sched_name", "job_name", "job_group"], "qrtz_job_details", false)),
        new("qrtz_simple_triggers", [.. TriggerRef, new("repeat_count", T.BigInt), new("repeat_interval", T.BigInt), new("times_triggered", T.BigInt)],
            TriggerKey, (TriggerKey, "qrtz_triggers", true)),
        new("qrtz_simprop_triggers",
        [
            .. TriggerRef, new("str_prop_1", T.Text, true), new("str_prop_2", T.Text, true), new("str_prop_3", T.Text, true),
            new("int_prop_1", T.Int, true), new("int_prop_2", T.Int, true), new("long_prop_1", T.BigInt, true), new("long_prop_2", T.BigInt, true),
            new("dec_prop_1", T.Numeric, true), new("dec_prop_2", T.Numeric, true), new("bool_prop_1", T.Bool, true), new("bool_prop_2", T.Bool, true),
            new("time_zone_id", T.Name, true),
        ], TriggerKey, (TriggerKey, "qrtz_triggers", true)),
        new("qrtz_cron_triggers", [.. TriggerRef, new("cron_expression", T.LongName), new("time_zone_id", T.Name, true)],
            TriggerKey, (TriggerKey, "qrtz_triggers", true)),
        new("qrtz_blob_triggers", [.. TriggerRef, new("blob_data", T.Blob, true)], TriggerKey, (TriggerKey, "qrtz_triggers", true)),
        new("qrtz_calendars", [new("sched_name", T.Name), new("calendar_name", T.LongName), new("calendar", T.Blob)], ["sched_name", "calendar_name"]),
        new("qrtz_paused_trigger_grps", [new("sched_name", T.Name), new("trigger_group", T.Name)], ["sched_name", "trigger_group"]),
        new("qrtz_fired_triggers",
        [
            new("sched_name", T.Name), new("entry_id", T.Name), new("trigger_name", T.Name), new("trigger_group", T.Name),
            new("instance_name", T.LongName), new("fired_time", T.BigInt), new("sched_time", T.BigInt), new("priority", T.Int),
            new("state", T.Name), new("job_name", T.Name, true), new("job_group", T.Name, true), new("is_nonconcurrent", T.Bool, true),
            new("requests_recovery", T.Bool, true), new("execution_group", T.LongName, true),
        ], ["sched_name", "entry_id"]),
        new("qrtz_scheduler_state",
            [new("sched_name", T.Name), new("instance_name", T.LongName), new("last_checkin_time", T.BigInt), new("checkin_interval", T.BigInt)],
            ["sched_name", "instance_name"]),
        new("qrtz_locks", [new("sched_name", T.Name), new("lock_name", T.Name)], ["sched_name", "lock_name"]),
    ];

    private static readonly (string Name, string Table, string Columns)[] Indexes =
    [
        ("idx_qrtz_j_req_recovery", "qrtz_job_details", "sched_name, requests_recovery"),
        ("idx_qrtz_j_g_n", "qrtz_job_details", "sched_name, job_group, job_name"),
        ("idx_qrtz_t_next_fire_time", "qrtz_triggers", "sched_name, next_fire_time"),
        ("idx_qrtz_t_state", "qrtz_triggers", "sched_name, trigger_state"),
        ("idx_qrtz_t_nft_st", "qrtz_triggers", "sched_name, trigger_state, next_fire_time"),
        ("idx_qrtz_t_g_n", "qrtz_triggers", "sched_name, trigger_group, trigger_name"),
        ("idx_qrtz_ft_trig_inst_name", "qrtz_fired_triggers", "sched_name, instance_name"),
        ("idx_qrtz_ft_trig_nm_gp", "qrtz_fired_triggers", "sched_name, trigger_name, trigger_group"),
        ("idx_qrtz_ft_job_req_recovery", "qrtz_fired_triggers", "requests_recovery"),
    ];

    /// <summary>CREATE TABLE and CREATE INDEX statements for "sqlite" or "postgres".</summary>
    public static string Create(string provider)
    {
        var pg = provider == "postgres";
        string Type(T t) => t switch
        {
            T.Name => pg ? "TEXT" : "NVARCHAR(150)",
            T.LongName => pg ? "TEXT" : "NVARCHAR(250)",
            T.Text => pg ? "TEXT" : "NVARCHAR(512)",
            T.BigInt => "BIGINT",
            T.Int => "INTEGER",
            T.Bool => pg ? "BOOL" : "BIT",
            T.Blob => pg ? "BYTEA" : "BLOB",
            _ => "NUMERIC",
        };
        var sql = new StringBuilder();
        foreach (var table in Tables)
        {
            var lines = table.Columns.Select(c =>
                $"    {c.Name} {Type(c.Type)} {(c.Null ? "NULL" : "NOT NULL")}{(c.Default is { } d ? $" DEFAULT {(pg ? d : d == "false" ? "0" : d)}" : "")}").ToList();
            lines.Add($"    PRIMARY KEY ({string.Join(", ", table.Key)})");
            if (table.ForeignKey is { } fk)
            {
                lines.Add($"    FOREIGN KEY ({string.Join(", ", fk.Cols)}) REFERENCES {fk.Table} ({string.Join(", ", fk.Cols)}){(fk.Cascade ? " ON DELETE CASCADE" : "")}");
            }
            sql.Append($"CREATE TABLE {table.Name} (\n{string.Join(",\n", lines)}\n);\n");
        }
        foreach (var (name, table, columns) in Indexes)
        {
            sql.Append($"CREATE INDEX {name} ON {table} ({columns});\n");
        }
        return sql.ToString();
    }

    public static string Drop() => string.Concat(Tables.Reverse().Select(t => $"DROP TABLE IF EXISTS {t.Name};\n"));
}
