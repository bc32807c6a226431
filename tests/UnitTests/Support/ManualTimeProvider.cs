namespace SaasAssistants.UnitTests.Support;

/// <summary>
/// A clock that moves only when told to. Microsoft.Extensions.TimeProvider.Testing's FakeTimeProvider would do,
/// but that package is not on this machine's package mirror.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now = _now.Add(by);
}
