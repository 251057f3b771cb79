/// A configuration file that cannot be used: which file, line or key, and what would be right.
public struct ConfigurationFileError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
