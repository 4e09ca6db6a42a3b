using System.Text;

namespace Rapport.Imports;

/// <summary>
/// The keys met so far in a file and the line each was first on, for "already appears on line N".
/// The one piece of an import that grows with the file, so it is packed: keys as UTF-8 bytes in
/// 1 MB blocks, and per key a hash, a line and the key's place, in open-addressed int arrays —
/// about 30 bytes per key where a Dictionary&lt;string, int&gt; takes about 80 (string object, entry,
/// bucket), and no large arrays copied on growth except the index. Exact: a hash match is
/// confirmed by comparing the bytes.
/// </summary>
internal sealed class KeyLines
{
    private const int BlockSize = 1 << 20;
    private const int EntriesPerBlock = 1 << 16;

    private readonly List<byte[]> blocks = [new byte[BlockSize]];
    private int blockUsed;
    /// <summary>Entries in blocks of <see cref="EntriesPerBlock"/>: hash, line, block, offset, length.</summary>
    private readonly List<Entry[]> entries = [];
    private int count;
    /// <summary>Open-addressed index into entries (entry number + 1; 0 = empty), kept at most half full.</summary>
    private int[] slots = new int[1 << 12];

    private struct Entry
    {
        public int Hash;
        public int Line;
        public int Block;
        public int Offset;
        public int Length;
    }

    public int Count => count;

    /// <summary>Adds the key with its line, or returns false with the line it was first on.</summary>
    public bool TryAdd(string key, int line, out int firstLine)
    {
        var byteCount = Encoding.UTF8.GetByteCount(key);
        Span<byte> bytes = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(key, bytes);
        var hash = string.GetHashCode(key.AsSpan()) & int.MaxValue;
        var mask = slots.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var index = slots[slot];
            if (index == 0)
            {
                break;
            }
            ref var entry = ref EntryAt(index - 1);
            if (entry.Hash == hash && entry.Length == bytes.Length && bytes.SequenceEqual(blocks[entry.Block].AsSpan(entry.Offset, entry.Length)))
            {
                firstLine = entry.Line;
                return false;
            }
        }
        Store(bytes, hash, line);
        firstLine = line;
        return true;
    }

    private void Store(ReadOnlySpan<byte> bytes, int hash, int line)
    {
        if (blockUsed + bytes.Length > blocks[^1].Length)
        {
            blocks.Add(new byte[Math.Max(BlockSize, bytes.Length)]);
            blockUsed = 0;
        }
        bytes.CopyTo(blocks[^1].AsSpan(blockUsed));
        if (count % EntriesPerBlock == 0)
        {
            entries.Add(new Entry[EntriesPerBlock]);
        }
        EntryAt(count) = new Entry { Hash = hash, Line = line, Block = blocks.Count - 1, Offset = blockUsed, Length = bytes.Length };
        blockUsed += bytes.Length;
        count++;
        if (count * 2 > slots.Length)
        {
            Grow();
        }
        else
        {
            Place(count - 1, slots);
        }
    }

    private void Grow()
    {
        var grown = new int[slots.Length * 2];
        for (var i = 0; i < count; i++)
        {
            Place(i, grown);
        }
        slots = grown;
    }

    private void Place(int entryNumber, int[] into)
    {
        var mask = into.Length - 1;
        var slot = EntryAt(entryNumber).Hash & mask;
        while (into[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }
        into[slot] = entryNumber + 1;
    }

    private ref Entry EntryAt(int number) => ref entries[number / EntriesPerBlock][number % EntriesPerBlock];
}
