/// A problem in an input file, located to the line and field: `orcl.csv:17: close: 'abc' is not a number`.
public struct DataError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line number in the file (the header is line 1); 0 when the problem is the whole file.
    public var line: Int
    public var field: String?
    public var message: String

    public init(file: String, line: Int, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" }
        if let field { text += ": \(field)" }
        return text + ": " + message
    }
}
