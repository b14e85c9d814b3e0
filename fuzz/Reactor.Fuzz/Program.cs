using Reactor.Fuzz.Targets;
using SharpFuzz;

// Usage:
//   Reactor.Fuzz TARGET                  run under afl-fuzz (SharpFuzz out-of-process mode; input on stdin)
//   Reactor.Fuzz TARGET --replay PATH..  run the target on files or folders (crash reproduction, corpus checks)
//   Reactor.Fuzz --list                  print the target names
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Reactor.Fuzz TARGET [--replay PATH...] | --list");
    Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTarget.All.Keys));
    return 2;
}
if (args[0] == "--list")
{
    foreach (var name in FuzzTarget.All.Keys) Console.WriteLine(name);
    return 0;
}
if (!FuzzTarget.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTarget.All.Keys)}");
    return 2;
}
if (args.Length > 1 && args[1] == "--replay")
{
    var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).Order().ToList();
    var failures = 0;
    foreach (var file in files)
    {
        try
        {
            target.Run(File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            failures++;
            Console.Error.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
        }
    }
    Console.WriteLine($"{target.Name}: {files.Count} inputs, {failures} failed");
    return failures == 0 ? 0 : 1;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
return 0;
