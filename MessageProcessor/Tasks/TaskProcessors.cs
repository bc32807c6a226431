namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>The registered processors by task type. Two processors for one type is a wiring mistake and fails startup.</summary>
public sealed class TaskProcessors
{
    private readonly Dictionary<string, ITaskProcessor> _byType = new(StringComparer.Ordinal);

    public TaskProcessors(IEnumerable<ITaskProcessor> processors)
    {
        foreach (var processor in processors)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(processor.Type, nameof(processors));
            if (!_byType.TryAdd(processor.Type, processor))
            {
                throw new InvalidOperationException(
                    $"Task type '{processor.Type}' has two processors: {_byType[processor.Type].GetType().Name} and {processor.GetType().Name}.");
            }
        }
    }

    public IReadOnlyCollection<string> Types => _byType.Keys;

    public ITaskProcessor? Find(string type) => _byType.GetValueOrDefault(type);
}
