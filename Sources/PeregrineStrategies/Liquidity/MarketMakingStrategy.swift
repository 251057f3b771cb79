import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// Market making on bars: each bar, cancel the previous quotes and post a bid and an ask around a
/// fair value, the EMA(`period`) of closes. The quotes are `spread` apart (a share of the fair
/// value) around a reservation price that inventory skews: fair · (1 - `skew` · q / limit), with q
/// the signed position and limit = `max_inventory` quote sizes, so a long book quotes lower to sell
/// and a short one higher to buy. No bid that could take the position past +limit, no ask past
/// -limit (past flat without `short=true`). A quote is `quantity` (or `percent` of equity at the
/// fair value).
///
/// What bars cannot tell: a quote fills when a later bar's range reaches it (or at the open if the
/// open is already through it), that is, the simulation assumes the bar traded at or through the
/// quote and that the quote was first in the queue. Queue position, the size traded at the price,
/// and adverse selection inside the bar (being filled because the price is going through the
/// quote and beyond) are unknown, so results on bars are an upper bound on what a market maker
/// would earn.
public struct MarketMakingStrategy: Strategy {
    public let period: Int
    public let spread: Double
    public let skew: Double
    public let maxInventory: Int
    public let quantity: Quantity?
    public let fraction: Double?
    private var fairValues: [ExponentialMovingAverage] = []
    private var quotes: [[OrderID]] = []

    public init(period: Int = 20, spread: Double = 0.01, skew: Double = 0.005, maxInventory: Int = 5,
                quantity: Quantity? = Quantity(100), fraction: Double? = nil) {
        precondition(period >= 1 && maxInventory >= 1, "period and inventory limit must be positive")
        self.period = period
        self.spread = spread
        self.skew = skew
        self.maxInventory = maxInventory
        self.quantity = quantity
        self.fraction = fraction
    }

    public static var observesOrderUpdates: Bool { false }

    public mutating func onStart(_ context: StrategyContext) {
        fairValues = Array(repeating: ExponentialMovingAverage(period: period), count: context.instruments.count)
        quotes = Array(repeating: [], count: context.instruments.count)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        for id in quotes[i] where context.order(id)?.status.isWorking == true { context.cancel(id) }
        quotes[i].removeAll()
        guard let fair = fairValues[i].update(bar.close), fair > 0 else { return }
        let spec = context.instrument(instrument)
        let size = fraction.map { Quantity(approximating: context.equity.doubleValue * $0 / fair).rounded(downToLot: spec.lotSize) }
            ?? quantity ?? .zero
        guard size.units > 0 else { return }
        let limit = size.doubleValue * Double(maxInventory)
        let held = context.position(instrument).quantity
        let inventory = max(-1, min(1, held.doubleValue / limit))
        let reservation = fair * (1 - skew * inventory)
        let bid = Price(approximating: reservation * (1 - spread / 2)).rounded(toTick: spec.tickSize, up: false)
        let ask = Price(approximating: reservation * (1 + spread / 2)).rounded(toTick: spec.tickSize, up: true)
        let note = "fair=\(rounded(fair)) inventory=\(held) reservation=\(rounded(reservation))"
        if bid.units > 0, (held + size).doubleValue <= limit + 1e-9 {
            if case .success(let id) = context.submit(.limit(instrument, .buy, size, bid), note: "mm_bid; " + note) { quotes[i].append(id) }
        }
        let askSize = context.shortingAllowed ? size : min(size, max(held, .zero))
        if askSize.units > 0, (held - askSize).doubleValue >= -limit - 1e-9 {
            if case .success(let id) = context.submit(.limit(instrument, .sell, askSize, ask), note: "mm_ask; " + note) { quotes[i].append(id) }
        }
    }

    private func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

extension MarketMakingStrategy: DeclaredStrategy {
    public static let name = "market-making"
    public static let summary = "market making on bars: bid and ask around an EMA fair value, inventory skew and limits (fills assume the bar traded through the quote)"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("period", .integer(1...10_000), default: "20", help: "EMA period of the fair value"),
        StrategyParameter("spread", .decimal(0.00001...1), default: "0.01", help: "ask minus bid as a share of the fair value"),
        StrategyParameter("skew", .decimal(0...1), default: "0.005", help: "reservation shift at the inventory limit, as a share of fair value"),
        StrategyParameter("max_inventory", .integer(1...10_000), default: "5", help: "inventory limit in quote sizes, long and short"),
        StrategyParameter("quantity", .decimal(0.000000001...1e15), default: "100", help: "shares (or coins) per quote"),
        StrategyParameter("percent", .decimal(0.000001...10), help: "quote size as a share of equity, instead of quantity"),
        StrategyParameter("short", .boolean, default: "true", help: "the ask may take the position short"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        if arguments.isGiven("quantity") && arguments.isGiven("percent") {
            throw ConfigurationError("market-making: give quantity or percent, not both")
        }
        if arguments.flag("short") { setup.configuration.allowShort = true }
        let fraction = arguments.decimal("percent")
        self.init(period: arguments.integer("period"), spread: arguments.decimal("spread") ?? 0.01, skew: arguments.decimal("skew") ?? 0.005,
                  maxInventory: arguments.integer("max_inventory"), quantity: fraction == nil ? try arguments.quantity("quantity") : nil,
                  fraction: fraction)
    }
}
