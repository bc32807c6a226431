using System.Buffers.Binary;
using System.Buffers.Text;

namespace SaasAssistants.PublicApi.Paging;

/// <summary>
/// A position in a keyset-ordered list: the sort time and id of the last item returned. Opaque to clients (base64url of
/// 24 bytes) so the encoding can change; unlike an offset it stays correct while items are added in front of it, and
/// the query it drives uses the (tenant, time) index instead of counting and skipping rows.
/// </summary>
public readonly record struct PageCursor(DateTimeOffset At, Guid Id)
{
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, At.UtcTicks);
        Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryParse(string value, out PageCursor cursor)
    {
        cursor = default;
        Span<byte> bytes = stackalloc byte[32];
        if (value.Length != 32 || !Base64Url.TryDecodeFromChars(value, bytes, out var written) || written != 24)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[8..24], bigEndian: true));
        return true;
    }
}
