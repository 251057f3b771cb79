/// Block moments as text that reads back to the same bits, so a sweep's rows can be stored by one
/// machine and ranked by another with every significance figure unchanged. Each number is written in
/// Swift's shortest round-trip form (`nan`, `-nan` and `inf` included); a block is
/// `count:sum:squares:cubes:fourth powers`, blocks are separated by spaces.
extension ReturnMoments {
    public var exactText: String {
        "\(count):\(sum):\(sumOfSquares):\(sumOfCubes):\(sumOfFourthPowers)"
    }

    /// Nil unless `text` is exactly one block as `exactText` writes it.
    public init?(exactText text: Substring) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 5, let count = Int(fields[0]), count >= 0, let sum = Double(fields[1]), let squares = Double(fields[2]),
              let cubes = Double(fields[3]), let fourth = Double(fields[4]) else { return nil }
        self.init(count: count, sum: sum, sumOfSquares: squares, sumOfCubes: cubes, sumOfFourthPowers: fourth)
    }

    /// Several blocks, space-separated ("" for none).
    public static func exactText(of blocks: [ReturnMoments]) -> String {
        blocks.map(\.exactText).joined(separator: " ")
    }

    /// Nil when any block is malformed.
    public static func blocks(exactText text: String) -> [ReturnMoments]? {
        var blocks: [ReturnMoments] = []
        for part in text.split(separator: " ") {
            guard let block = ReturnMoments(exactText: part) else { return nil }
            blocks.append(block)
        }
        return blocks
    }
}
