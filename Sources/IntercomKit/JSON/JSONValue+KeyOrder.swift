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
        var (high, low): (UInt64, UInt64) = (0, 0)
        var taken = 0
        for byte in key.utf8 {
            if taken < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            taken += 1
            if taken == 16 { return (high, low) }
        }
        if taken < 8 { return (high << (8 * UInt64(8 - taken)), 0) }
        return (high, low << (8 * UInt64(16 - taken)))
    }
}
