namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>The commands this service accepts from outside senders; every other message must come from Image Manager itself.</summary>
public sealed class BusCommandRules
{
    readonly Dictionary<Type, BusCommandRule> _rules = [];

    public void Add(BusCommandRule rule) => _rules[rule.MessageType] = rule;

    public BusCommandRule? Find(Type messageType) => _rules.GetValueOrDefault(messageType);
}
