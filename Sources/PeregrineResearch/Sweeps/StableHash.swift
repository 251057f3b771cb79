/// FNV-1a, 64 bits: the same value on every machine and in every process (Swift's `Hasher` is
/// seeded per process), for naming things that several machines must agree on without talking,
/// such as a sharded sweep. Not a cryptographic hash: it guards against mix-ups, not against
/// someone forging a collision.
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine<Bytes: Sequence<UInt8>>(bytes: Bytes) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    /// The text's UTF-8 bytes and then a zero byte, so ("ab", "c") and ("a", "bc") differ.
    public mutating func combine(_ text: String) {
        combine(bytes: text.utf8)
        combine(bytes: CollectionOfOne(UInt8(0)))
    }

    /// The eight little-endian bytes of `number`.
    public mutating func combine(_ number: Int64) {
        let bits = UInt64(bitPattern: number)
        combine(bytes: (0..<8).lazy.map { UInt8(truncatingIfNeeded: bits >> ($0 * 8)) })
    }

    /// Sixteen lowercase hexadecimal digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
