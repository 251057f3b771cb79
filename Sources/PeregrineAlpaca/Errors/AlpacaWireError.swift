/// A document from Alpaca (or anything speaking its API) that Peregrine cannot read exactly. It
/// names the document, the field and the offending text, so a broker change is diagnosed, not guessed.
public struct AlpacaWireError: Error, CustomStringConvertible, Equatable {
    public let document: String
    public let field: String
    public let problem: String

    public init(document: String, field: String, problem: String) {
        self.document = document
        self.field = field
        self.problem = problem
    }

    public var description: String { "Alpaca \(document): field \(field): \(problem)" }
}
