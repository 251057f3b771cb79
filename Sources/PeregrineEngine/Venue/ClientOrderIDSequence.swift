/// The client order ids a venue generates: `PREFIX-1`, `PREFIX-2`, ... counting up, so they never
/// repeat. Each id is written digit by digit into one string: joining the prefix, the dash and
/// `String(n)` cost several hundred instructions on every order of a backtest.
struct ClientOrderIDSequence {
    /// The prefix and its dash, as UTF-8.
    private let head: [UInt8]
    /// The number the next id carries (from 1).
    private(set) var next = 1

    init(prefix: String) { head = Array((prefix + "-").utf8) }

    /// The next id; the sequence moves on.
    mutating func take() -> String {
        var n = next
        next += 1
        var digits = 1
        var rest = n / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let length = head.count + digits
        return head.withUnsafeBufferPointer { prefix in
            String(unsafeUninitializedCapacity: length) { out in
                for k in 0..<prefix.count { out[k] = prefix[k] }
                var k = length
                repeat {
                    k -= 1
                    out[k] = UInt8(truncatingIfNeeded: 48 + n % 10)
                    n /= 10
                } while n > 0
                return length
            }
        }
    }
}
