using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// One exec over the channel protocol: frames are <c>[channel][data]</c> (0 stdin, 1 stdout, 2 stderr,
/// 3 status, 4 resize, ignored); with v5 the frame <c>[255, 0]</c> closes the process's stdin. Output is
/// sent as it is read, each send awaited (the socket's back-pressure reaches the process through its pipe).
/// A receive stays pending throughout, so pings are answered. On exit: the Status on channel 3, then close.
/// </summary>
internal sealed class ExecSession
{
    /// <summary>The v5 channel protocol (adds stdin close).</summary>
    public const string V5 = "v5.channel.k8s.io";

    /// <summary>The v4 channel protocol.</summary>
    public const string V4 = "v4.channel.k8s.io";

    private const byte StdinChannel = 0, StdoutChannel = 1, StderrChannel = 2, StatusChannel = 3, CloseChannel = 255;
    private const int ChunkSize = 32 * 1024;
    private static readonly TimeSpan CloseReplyWait = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly Process _process;
    private readonly ExecRequest _request;
    private readonly bool _supportsClose;
    private readonly long? _cutAfter;
    private readonly long? _stdinCutAfter;
    private long _stdinReceived;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _gone = new();
    private int _stdinClosed;
    private bool _cut;

    /// <summary>Binds the accepted socket to the started process.</summary>
    public ExecSession(WebSocket socket, Process process, ExecRequest request, bool supportsClose, long? cutAfter, long? stdinCutAfter = null)
    {
        _socket = socket;
        _process = process;
        _request = request;
        _supportsClose = supportsClose;
        _cutAfter = cutAfter;
        _stdinCutAfter = stdinCutAfter;
    }

    /// <summary>Runs until the process has ended and its status is sent, or the client has gone.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        using var link = CancellationTokenSource.CreateLinkedTokenSource(aborted, _gone.Token);
        var cancel = link.Token;
        if (!_request.Stdin) CloseStdin();
        var receiving = ReceiveAsync(cancel);
        var stdout = PumpAsync(_process.StandardOutput.BaseStream, StdoutChannel, _request.Stdout, cancel);
        var stderr = PumpAsync(_process.StandardError.BaseStream, StderrChannel, _request.Stderr, cancel);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (cancel.IsCancellationRequested) return; // the client has gone: nobody to tell

        try
        {
            await _sendLock.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                // A cut stream (fault plan) closes with no status, as a dropped connection would look.
                if (!_cut) await SendFrameAsync(StatusChannel, Encoding.UTF8.GetBytes(StatusResponses.ExecResult(_process.ExitCode)), cancel).ConfigureAwait(false);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
            // Let the client answer the close before the connection goes.
            await receiving.WaitAsync(CloseReplyWait, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
        {
            // The client went away or did not answer the close: the connection ends either way.
        }
    }

    /// <summary>Sends a Status on channel 3 and closes (used when the command could not start).</summary>
    public static async Task SendStatusAndCloseAsync(WebSocket socket, string status, CancellationToken cancel)
    {
        var body = Encoding.UTF8.GetBytes(status);
        var frame = new byte[body.Length + 1];
        frame[0] = StatusChannel;
        body.CopyTo(frame, 1);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancel).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel).ConfigureAwait(false);
        }
        catch (WebSocketException) { /* the client went away */ }
    }

    private async Task PumpAsync(Stream output, byte channel, bool wanted, CancellationToken cancel)
    {
        var buffer = new byte[ChunkSize + 1];
        buffer[0] = channel;
        long sent = 0;
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer.AsMemory(1, ChunkSize), CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                if (!wanted || cancel.IsCancellationRequested) continue; // drained so the process never blocks on a full pipe
                var count = read;
                if (channel == StdoutChannel && _cutAfter is { } cut && sent + count >= cut)
                {
                    count = (int)(cut - sent);
                    _cut = true;
                }
                if (count > 0)
                {
                    await _sendLock.WaitAsync(cancel).ConfigureAwait(false);
                    try { await _socket.SendAsync(buffer.AsMemory(0, count + 1), WebSocketMessageType.Binary, true, cancel).ConfigureAwait(false); }
                    finally { _sendLock.Release(); }
                    sent += count;
                }
                if (_cut)
                {
                    ProcessLauncher.KillNow(_process);
                    wanted = false;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            ClientGone();
            // Keep draining so the process can end.
            try { await output.CopyToAsync(Stream.Null, CancellationToken.None).ConfigureAwait(false); }
            catch (IOException) { /* pipe closed */ }
        }
    }

    private async Task ReceiveAsync(CancellationToken cancel)
    {
        var buffer = new byte[ChunkSize + 1];
        var channel = -1; // the channel of the message being received (its first byte)
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cancel).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStdin();
                    if (!_process.HasExited) ClientGone(); // the client left before the command ended
                    return;
                }
                var data = buffer.AsMemory(0, result.Count);
                if (channel < 0 && data.Length > 0)
                {
                    channel = data.Span[0];
                    data = data[1..];
                }
                if (channel == StdinChannel && _request.Stdin && data.Length > 0) await WriteStdinAsync(data).ConfigureAwait(false);
                else if (channel == CloseChannel && _supportsClose && data.Length > 0 && data.Span[0] == StdinChannel) CloseStdin();
                if (result.EndOfMessage) channel = -1;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            CloseStdin();
            if (!_process.HasExited) ClientGone();
        }
    }

    private async Task WriteStdinAsync(ReadOnlyMemory<byte> data)
    {
        if (Volatile.Read(ref _stdinClosed) != 0) return;
        if (_stdinCutAfter is { } cut)
        {
            // A dropped upload (fault plan): the command gets the first bytes, then end of input, and no status is sent.
            if (_stdinReceived + data.Length >= cut)
            {
                data = data[..(int)(cut - _stdinReceived)];
                _cut = true;
            }
            _stdinReceived += data.Length;
        }
        try
        {
            await _process.StandardInput.BaseStream.WriteAsync(data).ConfigureAwait(false);
            await _process.StandardInput.BaseStream.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException) { /* the process closed its stdin or ended: the rest is dropped, as a pipe would */ }
        if (_cut) CloseStdin();
    }

    private void CloseStdin()
    {
        if (Interlocked.Exchange(ref _stdinClosed, 1) != 0) return;
        try { _process.StandardInput.Close(); }
        catch (IOException) { /* already broken */ }
    }

    private void ClientGone()
    {
        ProcessLauncher.KillNow(_process);
        _gone.Cancel();
    }

    private Task SendFrameAsync(byte channel, byte[] payload, CancellationToken cancel)
    {
        var frame = new byte[payload.Length + 1];
        frame[0] = channel;
        payload.CopyTo(frame, 1);
        return _socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancel);
    }
}
