using System.ComponentModel.DataAnnotations;

namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>
/// The systems outside Image Manager that may send it commands on the bus, by broker user, from the <c>BusSenders</c>
/// section (<c>BusSenders__Senders__sdc__Tenant=sdc</c>, <c>BusSenders__Senders__sdc__Role=onboarder</c>). The broker
/// vouches for the user: RabbitMQ refuses a message whose <c>user_id</c> property is not the connection's user.
/// </summary>
public sealed class BusSendersOptions : IValidatableObject
{
    public const string Section = "BusSenders";

    public Dictionary<string, BusSender> Senders { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (user, sender) in Senders)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(sender, new ValidationContext(sender), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"BusSenders:Senders:{user}: {result.ErrorMessage}", [nameof(Senders)]);
            }
        }
    }
}
