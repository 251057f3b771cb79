import PeregrineStorage

extension CLIFailure {
    /// A store that cannot be opened or used, named once and never with its password (a PostgreSQL
    /// store's errors already begin with its redacted URL).
    static func store(_ option: String, _ store: String, _ error: any Error) -> CLIFailure {
        let place = StoreLocation.redacted(store)
        let message = "\(error)"
        let reason = message.hasPrefix(place + ": ") ? String(message.dropFirst(place.count + 2)) : message
        return CLIFailure("\(option) \(place): \(reason)")
    }
}
