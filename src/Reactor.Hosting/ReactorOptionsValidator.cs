using Microsoft.Extensions.Options;
using Reactor.Core;
using Reactor.Net.Endpoints;
using Reactor.Selectors;

namespace Reactor.Hosting;

/// <summary>Checks the bound <see cref="ReactorOptions"/>; each message names the configuration key at fault.</summary>
internal sealed class ReactorOptionsValidator(string sectionPath) : IValidateOptions<ReactorOptions>
{
    public ValidateOptionsResult Validate(string? name, ReactorOptions options)
    {
        var failures = new List<string>();
        if (options.ReadBufferSize <= 0)
        {
            failures.Add($"{sectionPath}:{nameof(ReactorOptions.ReadBufferSize)} must be a positive number of bytes; it is {options.ReadBufferSize}.");
        }
        if (options.MaxEventsPerWait <= 0)
        {
            failures.Add($"{sectionPath}:{nameof(ReactorOptions.MaxEventsPerWait)} must be positive; it is {options.MaxEventsPerWait}.");
        }
        if (options.Selector is { } kind && !SelectorFactory.Available.Contains(kind))
        {
            failures.Add($"{sectionPath}:{nameof(ReactorOptions.Selector)} is {kind}, which this OS does not offer; available: {string.Join(", ", SelectorFactory.Available)}.");
        }
        if (options.WriteHighWaterMark < 0 || options.WriteLowWaterMark < 0 || options.WriteLowWaterMark > options.WriteHighWaterMark)
        {
            failures.Add($"{sectionPath}:{nameof(ReactorOptions.WriteLowWaterMark)} ({options.WriteLowWaterMark}) and {sectionPath}:{nameof(ReactorOptions.WriteHighWaterMark)} ({options.WriteHighWaterMark}) must be at least 0, low at most high.");
        }
        CheckTimeout(failures, nameof(ReactorOptions.TlsHandshakeTimeout), options.TlsHandshakeTimeout);
        CheckTimeout(failures, nameof(ReactorOptions.CloseTimeout), options.CloseTimeout);
        if (options.MaxConsecutiveSelectorFailures < 1)
        {
            failures.Add($"{sectionPath}:{nameof(ReactorOptions.MaxConsecutiveSelectorFailures)} must be at least 1; it is {options.MaxConsecutiveSelectorFailures}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckTimeout(List<string> failures, string key, TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{sectionPath}:{key} must be a positive time span (such as 00:00:10) or -00:00:00.001 for none; it is {timeout}.");
        }
    }
}

/// <summary>Checks the listeners' endpoint strings (their syntax; the type's own arguments are checked at start).</summary>
internal sealed class ReactorHostOptionsValidator(string sectionPath) : IValidateOptions<ReactorHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ReactorHostOptions options)
    {
        var failures = new List<string>();
        foreach (var (listener, description) in options.Listeners)
        {
            var key = $"{sectionPath}:{nameof(ReactorHostOptions.Listeners)}:{listener}";
            if (string.IsNullOrWhiteSpace(description))
            {
                failures.Add($"{key} is empty; give a server endpoint string such as tcp:8000:interface=127.0.0.1.");
                continue;
            }
            try
            {
                EndpointDescription.Parse(description);
            }
            catch (EndpointParseError error)
            {
                failures.Add($"{key} ('{description}') is not a valid endpoint string: {error.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
