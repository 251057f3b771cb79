import PeregrineCore
import PeregrineIndicators

/// Applies an `ExitPlan` to open positions bar by bar. Call `onEntry` when a position opens or
/// grows, and `onBar` with every bar; it returns at most one instruction per bar, checking in this
/// order: end of day, time stop, stop loss, trailing stop, take profit, scaled tiers (then the
/// remainder's trail). Levels are compared with the bar's close, except under `plan.resting`, where
/// the stop-loss, the trailing stop, the take-profit and the scaled tiers are orders at the venue
/// (`restingPieces`).
public struct ExitManager: Sendable {
    public struct Instruction: Sendable, Equatable {
        /// Quantity to close (positive; the side is opposite to the position).
        public var quantity: Double
        /// Which rule applies.
        public var reason: ExitReason
        public var detail: String
    }

    struct Open: Sendable {
        var direction: Double
        var entry: Double
        var initialQuantity: Double
        var stop: Double?
        var target: Double?
        var risk: Double
        var best: Double
        var barsHeld = 0
        var tiersDone = 0
    }

    public let plan: ExitPlan
    private let intervals: [Int64]
    private var ranges: [AverageTrueRange]
    private var highs: [RollingExtreme]
    private var lows: [RollingExtreme]
    private var atr: [Double?]
    private var highest: [Double?]
    private var lowest: [Double?]
    private var open: [Open?]

    /// - Parameter barIntervals: per instrument, for the end-of-day rule (a bar's end is its start plus this).
    public init(plan: ExitPlan, barIntervals: [Int64]) {
        self.plan = plan
        intervals = barIntervals
        let n = barIntervals.count
        ranges = Array(repeating: AverageTrueRange(period: plan.atrPeriod), count: n)
        let lookback: Int
        if case .chandelier(_, let bars) = plan.trailing { lookback = bars } else { lookback = 1 }
        highs = Array(repeating: RollingExtreme(period: max(1, lookback), maximum: true), count: n)
        lows = Array(repeating: RollingExtreme(period: max(1, lookback), maximum: false), count: n)
        atr = Array(repeating: nil, count: n)
        highest = Array(repeating: nil, count: n)
        lowest = Array(repeating: nil, count: n)
        open = Array(repeating: nil, count: n)
    }

    /// A position opened or grew: `price` is its average entry, `quantity` its signed size.
    public mutating func onEntry(instrument i: Int, price: Double, quantity: Double) {
        let direction: Double = quantity > 0 ? 1 : -1
        if var current = open[i], current.direction == direction {
            current.entry = price
            current.initialQuantity = max(current.initialQuantity, abs(quantity))
            open[i] = current
            return
        }
        func level(_ distance: ExitPlan.Distance?, below: Bool) -> Double? {
            guard let distance else { return nil }
            let sign = below ? -direction : direction
            switch distance {
            case .percent(let p): return price * (1 + sign * p)
            case .price(let d): return price + sign * d
            case .atr(let k): return atr[i].map { price + sign * k * $0 }
            }
        }
        let stop = level(plan.stopLoss, below: true)
        let risk = stop.map { abs(price - $0) } ?? atr[i] ?? price * 0.01
        open[i] = Open(direction: direction, entry: price, initialQuantity: abs(quantity), stop: stop,
                       target: level(plan.takeProfit, below: false), risk: risk, best: price)
    }

    /// The open position's resting stop and take-profit levels, when it has any: the stop is the
    /// tightest of the stop-loss, the trailing level and, once the scaled exit's tiers are taken, its
    /// remainder's trail, as of the last bar.
    public func protection(instrument i: Int) -> (stop: Double?, target: Double?)? {
        guard let state = open[i] else { return nil }
        var stop = state.stop
        func tighten(_ level: Double) { stop = stop.map { state.direction > 0 ? max($0, level) : min($0, level) } ?? level }
        if let trailing = plan.trailing, let level = trailLevel(trailing, state: state, instrument: i) { tighten(level) }
        if let scaled = plan.scaled, state.tiersDone >= scaled.tiers.count, let range = atr[i] {
            tighten(state.best - state.direction * scaled.trailRemainderATR * range)  // the scaled exit's remainder
        }
        guard stop != nil || state.target != nil else { return nil }
        return (stop, state.target)
    }

    /// One resting order's share of the protection: `quantity` of the position (nil: whatever the
    /// other pieces leave), its stop and its limit.
    public struct RestingPiece: Sendable, Equatable {
        public var quantity: Double?
        public var stop: Double?
        public var target: Double?
    }

    /// The protection as resting orders. Without a scaled exit (or once its tiers are taken), one
    /// piece for the whole position. With one, each tier still to take is a piece of its own, its
    /// share of the first entry with the tier's level as the limit, and the rest of the position is
    /// the last piece; every piece carries the same stop, so each share is covered once.
    public func restingPieces(instrument i: Int, size: Double) -> [RestingPiece] {
        guard let levels = protection(instrument: i) else { return [] }
        guard let scaled = plan.scaled, let state = open[i], state.tiersDone < scaled.tiers.count else {
            return [RestingPiece(quantity: nil, stop: levels.stop, target: levels.target)]
        }
        var pieces: [RestingPiece] = []
        var left = size
        for tier in scaled.tiers[state.tiersDone...] {
            let quantity = min(left, (state.initialQuantity * tier.fraction).rounded(.down))
            guard quantity > 0 else { continue }
            pieces.append(RestingPiece(quantity: quantity, stop: levels.stop, target: state.entry + state.direction * tier.rMultiple * state.risk))
            left -= quantity
        }
        if left > 0 { pieces.append(RestingPiece(quantity: nil, stop: levels.stop, target: levels.target)) }
        return pieces
    }

    /// The position shrank to `size` without closing. Resting, that is how a scaled tier is taken
    /// (its limit filled): every tier whose share is gone from the first entry counts as done.
    public mutating func onReduce(instrument i: Int, size: Double) {
        guard plan.resting, let scaled = plan.scaled, var state = open[i] else { return }
        var taken = 0.0
        var done = 0
        for tier in scaled.tiers {
            taken += (state.initialQuantity * tier.fraction).rounded(.down)
            if state.initialQuantity - size >= taken { done += 1 } else { break }
        }
        state.tiersDone = max(state.tiersDone, done)
        open[i] = state
    }

    /// The position is flat again.
    public mutating func onFlat(instrument i: Int) { open[i] = nil }

    /// A split of `ratio` new shares per old one: every price level divides by it and the entry
    /// size multiplies, so stops and targets stay where they were in value. The range and extreme
    /// windows start over, since their history is in pre-split prices.
    public mutating func onSplit(instrument i: Int, ratio: Double) {
        guard ratio > 0, ratio.isFinite else { return }
        if var state = open[i] {
            state.entry /= ratio
            state.stop = state.stop.map { $0 / ratio }
            state.target = state.target.map { $0 / ratio }
            state.risk /= ratio
            state.best /= ratio
            state.initialQuantity *= ratio
            open[i] = state
        }
        ranges[i] = AverageTrueRange(period: plan.atrPeriod)
        let lookback: Int
        if case .chandelier(_, let bars) = plan.trailing { lookback = bars } else { lookback = 1 }
        highs[i] = RollingExtreme(period: max(1, lookback), maximum: true)
        lows[i] = RollingExtreme(period: max(1, lookback), maximum: false)
        atr[i] = atr[i].map { $0 / ratio }
        highest[i] = highest[i].map { $0 / ratio }
        lowest[i] = lowest[i].map { $0 / ratio }
    }

    public mutating func onBar(_ bar: Bar, instrument i: Int, position: Double) -> Instruction? {
        atr[i] = ranges[i].update(bar) ?? atr[i]
        highest[i] = highs[i].update(bar.high.doubleValue)
        lowest[i] = lows[i].update(bar.low.doubleValue)
        guard position != 0 else {
            open[i] = nil
            return nil
        }
        let close = bar.close.doubleValue
        if open[i] == nil { onEntry(instrument: i, price: close, quantity: position) }
        guard var state = open[i] else { return nil }
        defer { open[i] = state }
        let size = abs(position)
        let d = state.direction
        state.barsHeld += 1
        state.best = d > 0 ? max(state.best, close) : min(state.best, close)
        func all(_ reason: ExitReason, _ detail: String) -> Instruction { Instruction(quantity: size, reason: reason, detail: detail) }

        if let eod = plan.endOfDay, intervals[i] < Timestamp.nanosPerDay {
            let end = bar.timestamp.nanoseconds + intervals[i]
            let local = end + eod.zone.offsetSeconds(at: bar.timestamp) * Timestamp.nanosPerSecond
            let day = local.floorDivided(by: Timestamp.nanosPerDay)
            let minute = Int((local - day * Timestamp.nanosPerDay) / Timestamp.nanosPerMinute)
            let flatten = eod.flattenMinute(on: CivilDate(daysSinceEpoch: day))
            if minute >= flatten { return all(.endOfDay, "bar ends \(minute / 60):\(minute % 60) local; flatten at \(flatten / 60):\(flatten % 60)") }
        }
        if let bars = plan.timeStopBars, state.barsHeld >= bars { return all(.timeStop, "held \(state.barsHeld) bars") }
        if !plan.resting, let stop = state.stop, d > 0 ? close <= stop : close >= stop {
            return all(.stopLoss, "close \(close) through stop \(stop)")
        }
        if !plan.resting, let trailing = plan.trailing, let level = trailLevel(trailing, state: state, instrument: i),
           d > 0 ? close <= level : close >= level {
            return all(.trailingStop, "close \(close) through trailing level \(level)")
        }
        if !plan.resting, let target = state.target, d > 0 ? close >= target : close <= target {
            return all(.takeProfit, "close \(close) reached target \(target)")
        }
        if let scaled = plan.scaled {
            if state.tiersDone < scaled.tiers.count {
                // Resting, the tiers are limit orders at the venue (`restingPieces`).
                guard !plan.resting else { return nil }
                let tier = scaled.tiers[state.tiersDone]
                let level = state.entry + d * tier.rMultiple * state.risk
                if d > 0 ? close >= level : close <= level {
                    state.tiersDone += 1
                    let quantity = min(size, (state.initialQuantity * tier.fraction).rounded(.down))
                    if quantity > 0 {
                        return Instruction(quantity: quantity, reason: .scaledExit(tier: state.tiersDone),
                                           detail: "close \(close) reached \(tier.rMultiple)R (\(level))")
                    }
                }
            } else if !plan.resting, let range = atr[i] {
                let level = state.best - d * scaled.trailRemainderATR * range
                if d > 0 ? close <= level : close >= level {
                    return all(.scaledTrailingStop, "remainder: close \(close) through \(level)")
                }
            }
        }
        return nil
    }

    private func trailLevel(_ trailing: ExitPlan.Trailing, state: Open, instrument i: Int) -> Double? {
        let d = state.direction
        switch trailing {
        case .percent(let p):
            return state.best * (1 - d * p)
        case .atr(let k):
            return atr[i].map { state.best - d * k * $0 }
        case .chandelier(let k, _):
            guard let range = atr[i], let extreme = d > 0 ? highest[i] : lowest[i] else { return nil }
            return extreme - d * k * range
        }
    }
}
