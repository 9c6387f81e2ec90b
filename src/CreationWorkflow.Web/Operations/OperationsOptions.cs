namespace CreationWorkflow.Web.Operations;

/// <summary>How the host runs in front of operators ("CreationWorkflow:Operations"): proxy, cookies, health thresholds, metrics, faults.</summary>
public sealed class OperationsOptions
{
    public const string Section = "CreationWorkflow:Operations";

    /// <summary>Addresses of the TLS proxies whose X-Forwarded-For/-Proto are believed (loopback always is).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 172.16.0.0/12) whose proxies are believed.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Cookies only over HTTPS. Default: on outside Development and Testing.</summary>
    public bool? SecureCookies { get; set; }

    /// <summary>The port on which /metrics answers (Prometheus scrapes it there; keep it off the public network).</summary>
    public int MetricsPort { get; set; } = 9464;

    /// <summary>/health/ready reports Degraded when the oldest unsent mail is older than this.</summary>
    public TimeSpan OutboxWarnAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>/health/ready reports Degraded when a timer has been due and unfired for longer than this.</summary>
    public TimeSpan TimerLagWarnAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retry-After (seconds) of a 503 when the database is unavailable or busy.</summary>
    public int RetryAfterSeconds { get; set; } = 10;

    /// <summary>How long a statement waits for SQLite's write lock before the request is answered 503.</summary>
    public int SqliteBusyTimeoutSeconds { get; set; } = 5;

    /// <summary>Attempts to open a database connection before giving up (transient failures only).</summary>
    public int ConnectAttempts { get; set; } = 3;
}
