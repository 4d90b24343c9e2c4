extension JSONValue {
    /// Where a member of an object stands in key order: its key's first sixteen UTF-8 bytes as two big-endian
    /// integers (zero-padded), and the member's position in the object's members.
    struct KeyRank {
        var high: UInt64
        var low: UInt64
        var position: Int
    }

    /// The positions of `members` in key order (UTF-8 byte order). Keys are ranked by their first sixteen bytes as
    /// integers; only keys that share all sixteen are compared whole (``precedes(_:_:)``).
    static func keyOrder(of members: [(key: String, value: JSONValue)]) -> [KeyRank] {
        var ranks = members.indices.map { position in
            let (high, low) = prefixes(of: members[position].key)
            return KeyRank(high: high, low: low, position: position)
        }
        guard ranks.count > 1 else { return ranks }
        ranks.sort { $0.high != $1.high ? $0.high < $1.high : $0.low < $1.low }
        var start = 0
        while start < ranks.count {
            var end = start + 1
            while end < ranks.count, ranks[end].high == ranks[start].high, ranks[end].low == ranks[start].low { end += 1 }
            if end - start > 1 { ranks[start..<end].sort { precedes(members[$0.position].key, members[$1.position].key) } }
            start = end
        }
        return ranks
    }

    /// The first sixteen UTF-8 bytes of `key` as two big-endian integers, zero-padded: integers in the keys' byte order.
    @inline(__always)
    static func prefixes(of key: String) -> (UInt64, UInt64) {
        let loaded = key.utf8.withContiguousStorageIfAvailable { bytes in
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.prefix(16)))) }
            return (UInt64(bigEndian: words.0), UInt64(bigEndian: words.1))
        }
        if let loaded { return loaded }
        var (high, low): (UInt64, UInt64) = (0, 0)
        for (taken, byte) in key.utf8.prefix(16).enumerated() {
            if taken < 8 { high |= UInt64(byte) << (8 * UInt64(7 - taken)) } else { low |= UInt64(byte) << (8 * UInt64(15 - taken)) }
        }
        return (high, low)
    }
}
