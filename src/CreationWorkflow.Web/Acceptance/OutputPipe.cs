using System.IO.Pipelines;
using System.Runtime.ExceptionServices;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// Writes a file that only has a synchronous writer (a ZIP: the package, a streamed XLSX) to a stream that refuses
/// synchronous writes (an HTTP response): the writer runs on its own thread into a small pipe, which is copied
/// asynchronously to the output. The writer blocks while the pipe is full, so memory stays at the pipe's size.
/// A failure on either side stops the other and is rethrown.
/// </summary>
internal static class OutputPipe
{
    public static async Task<T> RunAsync<T>(Stream output, Func<Stream, CancellationToken, T> write, int pipeBytes, CancellationToken ct)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: pipeBytes, resumeWriterThreshold: pipeBytes / 2,
            minimumSegmentSize: 64 * 1024, useSynchronizationContext: false));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                T result;
                using (var stream = pipe.Writer.AsStream(leaveOpen: true))
                {
                    result = write(stream, cts.Token);
                }
                pipe.Writer.Complete();
                return result;
            }
            catch (Exception e)
            {
                pipe.Writer.Complete(e);
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Exception? failed = null;
        try
        {
            await pipe.Reader.CopyToAsync(output, cts.Token);
        }
        catch (Exception e)
        {
            failed = e;
            await cts.CancelAsync();
        }
        await pipe.Reader.CompleteAsync(failed);
        if (failed is not null)
        {
            // Wait for the writer to stop (at its next buffer). If it failed first, the pipe rethrew its error as `failed`.
            try
            {
                await producer;
            }
            catch (Exception)
            {
                // Reported through `failed`.
            }
            ExceptionDispatchInfo.Throw(failed);
        }
        var value = await producer;
        await output.FlushAsync(ct);
        return value;
    }
}
