using Xunit;

// These tests start real servers and measure what is left running afterwards: one at a time keeps both the timings
// and the "no process left" checks meaningful on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
