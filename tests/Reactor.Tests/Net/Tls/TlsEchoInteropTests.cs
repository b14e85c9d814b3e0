using System.Diagnostics;
using Reactor.Protocols;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Net.Tls.Support;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// Clients nobody here wrote talk to the TlsEcho example: <c>openssl s_client</c> (TLS 1.2 and
/// 1.3, verifying chain and name against a CA made by the test) and python3's <c>ssl</c> module
/// (1 MiB echoed, then close_notify both ways).
/// </summary>
[NonParallelizable]
public sealed class TlsEchoInteropTests
{
    private DirectoryInfo _directory = null!;
    private string _caPath = null!;
    private string[] _serverArguments = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("reactor-tlsecho-");
        var (certificatePath, keyPath) = TestCertificates.WritePem(TestCertificates.Server, _directory.FullName);
        _caPath = Path.Combine(_directory.FullName, "ca.pem");
        File.WriteAllText(_caPath, TestCertificates.Authority.ExportCertificatePem());
        _serverArguments = ["--cert", certificatePath, "--key", keyPath];
    }

    [TearDown]
    public void TearDown() => _directory.Delete(recursive: true);

    [TestCase("-tls1_3", "TLSv1.3")]
    [TestCase("-tls1_2", "TLSv1.2")]
    public void OpensslClientVerifiesAndGetsItsEcho(string versionFlag, string version)
    {
        var openssl = ExternalTool.Require("openssl");
        using var server = TlsEchoProcess.Start(_serverArguments);
        using var client = StartProcess(openssl, "s_client", "-connect", $"127.0.0.1:{server.Port}", versionFlag, "-brief",
            "-CAfile", _caPath, "-verify_return_error", "-verify_hostname", "localhost", "-servername", "localhost");
        var stderr = new System.Text.StringBuilder();
        client.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data);
        };
        client.Process.BeginErrorReadLine();

        client.StandardInput.WriteLine("ping from openssl");
        client.StandardInput.Flush();
        var line = client.StandardOutput.ReadLineAsync();
        Assert.That(line.Wait(TimeSpan.FromSeconds(30)), Is.True, $"no echo; openssl said: {stderr}; server said: {server.StandardError}");

        Assert.That(line.Result, Is.EqualTo("ping from openssl"));
        // openssl's report on stderr is read by another thread: wait for it, within a bound.
        string Report()
        {
            lock (stderr) return stderr.ToString();
        }
        SpinWait.SpinUntil(() => Report().Contains("Verification") && Report().Contains("Protocol version"), TimeSpan.FromSeconds(30));
        lock (stderr)
        {
            Assert.That(stderr.ToString(), Does.Contain($"Protocol version: {version}"));
            Assert.That(stderr.ToString(), Does.Contain("Verification: OK"));
        }
    }

    [Test]
    public void PythonSslClientEchoesAMebibyteAndClosesWithCloseNotify()
    {
        var python = ExternalTool.Require("python3");
        using var server = TlsEchoProcess.Start(_serverArguments);
        const string script = """
            import socket, ssl, sys
            port, cafile = int(sys.argv[1]), sys.argv[2]
            context = ssl.create_default_context(cafile=cafile)
            assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
            with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
                tls = context.wrap_socket(raw, server_hostname="localhost")
                total = 0
                for i in range(64):
                    chunk = bytes((i * 7 + j) % 256 for j in range(16384))
                    tls.sendall(chunk)
                    got = b""
                    while len(got) < len(chunk):
                        data = tls.recv(len(chunk) - len(got))
                        if not data:
                            sys.exit("connection closed early")
                        got += data
                    if got != chunk:
                        sys.exit("echo differs")
                    total += len(got)
                version = tls.version()
                # Sends close_notify and waits for the server's: a clean TLS shutdown both ways.
                tls.unwrap()
                print("echoed", total, version)
            """;
        using var client = StartProcess(python, "-c", script, server.Port.ToString(), _caPath);
        var output = client.StandardOutput.ReadToEndAsync();
        var errors = client.StandardError.ReadToEndAsync();
        Assert.That(client.WaitForExit(60_000), Is.True, "python3 did not finish");

        Assert.That(client.ExitCode, Is.Zero, $"python3 failed: {errors.Result}; server said: {server.StandardError}");
        Assert.That(output.Result.Trim(), Is.EqualTo("echoed 1048576 TLSv1.3"));
    }

    [Test]
    public void WithoutCertificateFilesItMakesAThrowAwayOneAndSaysSo()
    {
        var openssl = ExternalTool.Require("openssl");
        using var server = TlsEchoProcess.Start();
        using var client = StartProcess(openssl, "s_client", "-connect", $"127.0.0.1:{server.Port}", "-quiet", "-servername", "localhost");
        client.StandardInput.WriteLine("self-signed");
        client.StandardInput.Flush();
        var line = client.StandardOutput.ReadLineAsync();

        Assert.That(line.Wait(TimeSpan.FromSeconds(30)), Is.True, "no echo");
        Assert.That(line.Result, Is.EqualTo("self-signed"));
        // The notice went to stderr before the first line; it is read by another thread.
        SpinWait.SpinUntil(() => server.StandardError.Contains("throw-away"), TimeSpan.FromSeconds(30));
        Assert.That(server.StandardError, Does.Contain("throw-away self-signed certificate"));
    }

    [Test]
    public void SigtermStopsItCleanly()
    {
        var openssl = ExternalTool.Require("openssl");
        using var server = TlsEchoProcess.Start(_serverArguments);
        using var client = StartProcess(openssl, "s_client", "-connect", $"127.0.0.1:{server.Port}", "-quiet", "-CAfile", _caPath);
        client.StandardInput.WriteLine("still connected");
        client.StandardInput.Flush();
        var line = client.StandardOutput.ReadLineAsync();
        Assert.That(line.Wait(TimeSpan.FromSeconds(30)), Is.True, "no echo");

        // The contract allows 3 s; the loaded machine gets a little slack for process start-up.
        Assert.That(server.Terminate(TimeSpan.FromSeconds(5)), Is.True, "TlsEcho did not stop on SIGTERM");
        Assert.That(server.ExitCode, Is.Zero);
    }

    [Test]
    public void CertWithoutKeyIsAUsageError()
    {
        var dll = ExampleProcess.PathOf("TlsEcho");
        using var process = StartProcess("dotnet", dll, "--port", "0", "--cert", _caPath);
        var errors = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(60_000), Is.True);
        Assert.That(process.ExitCode, Is.Not.Zero);
        Assert.That(errors.Result, Does.Contain("--cert and --key go together"));
    }

    private static ChildProcess StartProcess(string file, params string[] arguments) => ChildProcess.Start(file, arguments);

    /// <summary>A child process killed (by its PID) if it is still running when the test ends.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private ChildProcess(Process process) => Process = process;

        public Process Process { get; }
        public StreamWriter StandardInput => Process.StandardInput;
        public StreamReader StandardOutput => Process.StandardOutput;
        public StreamReader StandardError => Process.StandardError;
        public int ExitCode => Process.ExitCode;

        public static ChildProcess Start(string file, string[] arguments)
        {
            var info = new ProcessStartInfo(file)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments) info.ArgumentList.Add(argument);
            return new ChildProcess(Process.Start(info)!);
        }

        public bool WaitForExit(int milliseconds) => Process.WaitForExit(milliseconds);

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(10_000);
            }
            Process.Dispose();
        }
    }
}
