import PeregrineCore
import PeregrineLive
import Synchronization

/// The last bars the bots saw and their fills, per symbol, kept from the telemetry so a page opened
/// mid-run draws its charts at once instead of waiting for new bars.
public final class RecentMarket: Sendable {
    public struct Marker: Sendable, Equatable {
        public var time: Timestamp
        public var side: OrderSide
        public var price: Price
        public var quantity: Quantity
    }

    public let capacity: Int
    private let state = Mutex<(bars: [String: [Bar]], fills: [String: [Marker]])>(([:], [:]))

    public init(capacity: Int = 500) { self.capacity = capacity }

    public func observe(_ hub: TelemetryHub) {
        hub.observe { [weak self] event in self?.record(event) }
    }

    func record(_ event: TelemetryEvent) {
        switch event {
        case .bar(_, let symbol, let bar):
            state.withLock {
                $0.bars[symbol, default: []].append(bar)
                if $0.bars[symbol]!.count > capacity { $0.bars[symbol]!.removeFirst($0.bars[symbol]!.count - capacity) }
            }
        case .fill(_, let time, _, let symbol, let side, let quantity, let price):
            state.withLock {
                $0.fills[symbol, default: []].append(Marker(time: time, side: side, price: price, quantity: quantity))
                if $0.fills[symbol]!.count > capacity { $0.fills[symbol]!.removeFirst($0.fills[symbol]!.count - capacity) }
            }
        default:
            break
        }
    }

    /// The last `limit` bars of `symbol` and the fills since the first of them.
    public func recent(_ symbol: String, limit: Int) -> (bars: [Bar], fills: [Marker]) {
        state.withLock { value in
            let bars = Array((value.bars[symbol] ?? []).suffix(limit))
            let first = bars.first?.timestamp ?? Timestamp(nanoseconds: .max)
            return (bars, (value.fills[symbol] ?? []).filter { $0.time >= first })
        }
    }
}
