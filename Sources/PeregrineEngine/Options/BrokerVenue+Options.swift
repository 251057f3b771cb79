import PeregrineCore

/// Option orders through a broker. The option book lives in the kernel's state, not in the venue
/// (an option order is on contracts, not on the venue's instruments); the venue only carries the
/// orders to the runtime, which sends them as Alpaca option or `mleg` orders and reports back what
/// the broker filled.
extension BrokerVenue {
    /// The client order id of the strategy's option order `number`: the run's prefix keeps it unique
    /// across restarts, as for stock orders.
    public func optionClientOrderID(_ number: Int) -> String { "\(clientOrderPrefix)-opt\(number)" }

    /// Queues an option order the strategy placed, for the runtime to send.
    func queueOption(_ order: OptionOrder) { optionOutbox.append(order) }

    /// Hands over the queued option orders.
    public func takeOptionOutbox() -> [OptionOrder] {
        defer { optionOutbox.removeAll() }
        return optionOutbox
    }
}
