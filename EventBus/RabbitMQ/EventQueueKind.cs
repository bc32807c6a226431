namespace SaasAssistants.EventBus;

public enum EventQueueKind
{
    /// <summary>
    /// A named durable queue shared by all instances of the service: each event is handled once (work sharing).
    /// Failed messages end up in "{queue}.dlq".
    /// </summary>
    Durable,

    /// <summary>
    /// A broker-named, exclusive, auto-delete queue per process: every instance sees every event (live UI fan-out).
    /// It disappears with the process; failed messages are dropped, not dead-lettered.
    /// </summary>
    PerInstance,
}
