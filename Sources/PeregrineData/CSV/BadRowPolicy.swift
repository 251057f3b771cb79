/// What to do with a row that fails validation: stop with its error (the default), or skip it and
/// report it, so nothing is dropped without a line saying so.
public enum BadRowPolicy: String, Hashable, Sendable, CaseIterable {
    case fail
    case skip
}
