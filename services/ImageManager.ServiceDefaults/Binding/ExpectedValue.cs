using System.Collections;
using System.Globalization;

namespace ImageManager.ServiceDefaults.Binding;

/// <summary>What a value of a .NET type looks like on the wire, in words a caller understands ("a UUID, e.g. …").</summary>
public static class ExpectedValue
{
    public const string UuidExample = "0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11";

    public static string Of(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(Guid))
        {
            return $"a UUID, e.g. {UuidExample}";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return "an ISO-8601 date-time, e.g. 2026-12-06T14:30:00Z";
        }

        if (type == typeof(DateOnly))
        {
            return "a date, e.g. 2027-12-31";
        }

        if (type == typeof(TimeSpan))
        {
            return "a duration, e.g. 00:05:00";
        }

        if (type == typeof(Uri))
        {
            return "a URL";
        }

        if (WholeNumberRange(type) is { } range)
        {
            return $"a whole number ({range})";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        }

        if (typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        {
            return "an object of named values";
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.IsArray ? type.GetElementType() : type.GetInterfaces().Concat([type])
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            return element is null ? "an array" : $"an array of {Plural(element)}";
        }

        return "an object";
    }

    static string? WholeNumberRange(Type type) =>
        type == typeof(int) ? Range(int.MinValue, int.MaxValue)
        : type == typeof(long) ? Range(long.MinValue, long.MaxValue)
        : type == typeof(short) ? Range(short.MinValue, short.MaxValue)
        : type == typeof(byte) ? Range(byte.MinValue, byte.MaxValue)
        : type == typeof(uint) ? Range(uint.MinValue, uint.MaxValue)
        : type == typeof(ulong) ? Range(ulong.MinValue, ulong.MaxValue)
        : type == typeof(ushort) ? Range(ushort.MinValue, ushort.MaxValue)
        : type == typeof(sbyte) ? Range(sbyte.MinValue, sbyte.MaxValue)
        : null;

    static string Range<T>(T min, T max)
        where T : IFormattable =>
        $"from {min.ToString(null, CultureInfo.InvariantCulture)} to {max.ToString(null, CultureInfo.InvariantCulture)}";

    static string Plural(Type element)
    {
        element = Nullable.GetUnderlyingType(element) ?? element;
        return element == typeof(string) ? "strings"
            : element == typeof(Guid) ? "UUIDs"
            : WholeNumberRange(element) is not null ? "whole numbers"
            : "objects";
    }
}
