/// A two-column table for summaries, aligned for a terminal.
struct Table {
    private var rows: [(String, String)] = []

    mutating func add(_ label: String, _ value: String) { rows.append((label, value)) }

    func render() -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in
            label + String(repeating: " ", count: width - label.count + 2) + value
        }.joined(separator: "\n")
    }

    static func percent(_ value: Double) -> String {
        value.isFinite ? format(value * 100, places: 2) + "%" : "n/a"
    }

    static func number(_ value: Double, places: Int = 3) -> String {
        value.isFinite ? format(value, places: places) : (value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf"))
    }

    /// Fixed-point text without Foundation's locale-dependent formatting.
    static func format(_ value: Double, places: Int) -> String {
        // Past 10^15 the decimals mean nothing and whole digits would not fit 64 bits: print as is.
        guard abs(value) < 1e15 else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled - Double(whole) * scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }
}
