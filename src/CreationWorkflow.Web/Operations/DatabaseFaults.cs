using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Polly;
using Polly.Retry;

namespace CreationWorkflow.Web.Operations;

/// <summary>Which failures mean "the database is down or busy right now" (as opposed to a bug or bad data).</summary>
public static class DatabaseFaults
{
    public static bool IsUnavailable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED: another writer holds the lock
                case NpgsqlException { IsTransient: true }:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "55P03" }: // shutdown, starting, too many connections, lock timeout
                case SocketException:
                    return true;
                case InvalidOperationException when e.Message.Contains("connection pool", StringComparison.OrdinalIgnoreCase)
                                                    && e.InnerException is null:
                    return true;
            }
        }
        return false;
    }

    /// <summary>Opening a connection is retried a few times with a short backoff: nothing has happened yet, so it is safe.</summary>
    public static ResiliencePipeline OpenPipeline(int attempts) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsUnavailable),
            MaxRetryAttempts = Math.Max(0, attempts - 1),
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            UseJitter = true,
        })
        .Build();
}

/// <summary>EF opens its connections through a bounded retry (<see cref="OperationsOptions.ConnectAttempts"/>).</summary>
public sealed class ConnectionRetryInterceptor(IOptions<OperationsOptions> options) : DbConnectionInterceptor
{
    private readonly ResiliencePipeline pipeline = DatabaseFaults.OpenPipeline(options.Value.ConnectAttempts);

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken ct = default)
    {
        await pipeline.ExecuteAsync(async token =>
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.OpenAsync(token);
            }
        }, ct);
        return InterceptionResult.Suppress();
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        pipeline.Execute(() =>
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                connection.Open();
            }
        });
        return InterceptionResult.Suppress();
    }
}

/// <summary>
/// The database is down or busy after the bounded retries: 503 with Retry-After — a zh-CN ProblemDetails for the API,
/// a zh-CN page "服务暂时不可用" for pages (rendered without the database).
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, IOptions<OperationsOptions> options, ILogger<DatabaseUnavailableHandler> log)
    : IExceptionHandler
{
    public const string Title = "服务暂时不可用";
    public const string Detail = "数据库暂时无法访问或正忙，请稍后重试。";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!DatabaseFaults.IsUnavailable(exception))
        {
            return false;
        }
        log.LogWarning("Database unavailable for {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
        var retry = options.Value.RetryAfterSeconds;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = Title,
                    Detail = Detail,
                    Extensions = { ["retryAfterSeconds"] = retry },
                },
            });
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Page(retry), ct);
        return true;
    }

    /// <summary>A self-contained page: it must render when nothing behind it answers.</summary>
    public static string Page(int retryAfterSeconds) => $$"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{{Title}} · 民族团结进步创建工作平台</title>
            <link rel="stylesheet" href="/site.css" />
        </head>
        <body>
        <header class="top"><a class="brand" href="/">民族团结进步创建工作平台</a></header>
        <main>
            <h1>{{Title}}</h1>
            <p>{{Detail}}系统正在自动恢复，所填内容未被保存，请约{{retryAfterSeconds}}秒后刷新页面或重新提交。</p>
            <p><a href="/">返回首页</a></p>
        </main>
        </body>
        </html>
        """;
}
