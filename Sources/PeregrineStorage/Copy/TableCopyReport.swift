/// One table after `db copy`: its row count and checksum read back from both stores.
public struct TableCopyReport: Sendable, Equatable {
    public let table: String
    public let sourceRows: Int
    public let destinationRows: Int
    public let sourceChecksum: String
    public let destinationChecksum: String

    public var matches: Bool { sourceRows == destinationRows && sourceChecksum == destinationChecksum }
}
