import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineStorage
import PeregrineStrategies

/// Re-runs a bot's strategy (or its portfolio of sleeves), with its parameters, sizing, exits, schedule
/// and risk limits, through the backtester over exactly the bars its run handled (the warm-up history as warm-up, then the bars it
/// traded on), and sets the backtest's fills against the bot's. If a strategy trades differently live
/// than in its backtest on the same bars, the kernel or the venue has a bug; slippage against the
/// backtest's prices is the market's doing, and shows here in basis points.
///
/// What the backtest cannot know is left out: the bot's books start from the run's initial equity
/// (its account's whole cash), risk state and learning start afresh, a `[veto]` model and the account's
/// exposure limit across bots are not asked,
/// and end-of-day exits follow the standing early-close rules rather than the broker's calendar.
public enum ParityCheck {
    public static func compare(settings: TradingSettings, parameters: StrategyParameters, bars stored: RunBarColumns, liveFills: [StoredFill],
                               initialCash: Money) throws(TradingRuntimeError) -> ParityReport {
        guard !stored.isEmpty else { throw TradingRuntimeError("the run stored no bars (runs before this version kept none), so there is nothing to replay") }
        // In the bot's own symbol order: the backtest's feed breaks ties between symbols by it.
        let series = settings.symbols.compactMap { stored.series(of: $0) }.filter { !$0.isEmpty }
        let symbols = series.map(\.instrument.symbol)
        guard !series.isEmpty else { throw TradingRuntimeError("the run's stored bars are of none of the bot's symbols (\(stored.symbols.joined(separator: ", ")))") }
        var configuration = TradingRuntime.kernelConfiguration(settings, cash: initialCash, exits: settings.exits,
                                                               tradingStart: stored.lastWarmUp.map { Timestamp(nanoseconds: $0 + 1) })
        configuration.periodsPerYear = BacktestConfiguration.inferredPeriodsPerYear(
            interval: settings.timeframe.nanoseconds, calendar: series[0].instrument.assetClass.defaultCalendar)
        // Only the fills are compared: the backtest keeps no decision list.
        configuration.recordDecisions = false
        let fills: [Fill]
        var options: OptionBook?
        do {
            if let portfolio = settings.portfolio {
                // The sleeves on the multi-strategy kernel, capital moved by the same rule (the meta-controller starts afresh).
                let sleeves = try portfolio.sleeves.map { text throws(ConfigurationError) in try MultiStrategyBacktest.Sleeve(parsing: text) }
                fills = try MultiStrategyBacktest(sleeves: sleeves, rule: portfolio.rule, rebalanceEvery: portfolio.rebalanceBars,
                                                  configuration: configuration).run(series: series).sleeves.flatMap(\.fills)
            } else {
                let result = try StrategyRegistry.shared.backtest(strategy: settings.strategy, parameters: parameters, series: series,
                                                                  configuration: configuration)
                fills = result.fills
                options = result.options
            }
        } catch {
            throw TradingRuntimeError("the backtest over the run's bars failed: \(error.message)")
        }
        let stock = fills.map {
            ParityReport.Fill(time: $0.timestamp, symbol: symbols[$0.instrument.index], side: $0.side, quantity: $0.quantity, price: $0.price,
                              commission: $0.commission)
        }
        let backtested = (optionFills(options, bars: stored) + stock).enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        let live = liveFills.map {
            ParityReport.Fill(time: $0.timestamp, symbol: $0.symbol, side: $0.side, quantity: $0.quantity, price: $0.price, commission: $0.commission)
        }
        return try report(live: live, backtest: backtested, bars: stored)
    }

    /// The backtest's option legs as the bot's store keeps them: each filled leg (contracts, price per
    /// share), and each exercise, assignment or expiry as a fill at zero closing the contracts on the
    /// first stored bar of the underlying after the expiration, where the bot books it.
    static func optionFills(_ book: OptionBook?, bars: RunBarColumns) -> [ParityReport.Fill] {
        guard let book else { return [] }
        var rows: [ParityReport.Fill] = []
        for order in book.orders where order.status == .filled {
            for leg in order.legs {
                guard let price = leg.fillPrice else { continue }
                rows.append(ParityReport.Fill(time: order.updatedAt, symbol: leg.contract.description, side: leg.side,
                                              quantity: Quantity(order.quantity * leg.ratio), price: price, commission: .zero))
            }
        }
        for activity in book.activities where activity.kind != .trade {
            guard let contract = try? OCCSymbol(activity.symbol) else { continue }
            guard let k = bars.symbols.firstIndex(of: contract.root) else { continue }
            let stamps = bars.series[k].timestamps
            guard let first = stamps.indices.first(where: { $0 >= bars.warmUpCounts[k]
                && CivilDate(daysSinceEpoch: stamps[$0].floorDivided(by: Timestamp.nanosPerDay)) > contract.expiration }) else { continue }
            let time = Timestamp(nanoseconds: stamps[first])
            rows.append(ParityReport.Fill(time: time, symbol: contract.description, side: activity.quantity.units > 0 ? .buy : .sell,
                                          quantity: activity.quantity.magnitude, price: .zero, commission: .zero))
        }
        return rows
    }

    /// The same from a list of stored bars (a test's few).
    static func report(live: [ParityReport.Fill], backtest: [ParityReport.Fill], bars: [RunBar],
                       lastClose: [String: Price]) throws(TradingRuntimeError) -> ParityReport {
        var columns = RunBarColumns()
        for item in bars {
            let k: Int
            if let known = columns.symbols.firstIndex(of: item.symbol) {
                k = known
            } else {
                k = columns.symbols.count
                columns.symbols.append(item.symbol)
                columns.series.append(BarSeries(instrument: .usEquity(item.symbol)))
                columns.warmUpCounts.append(0)
            }
            columns.series[k].append(item.bar)
            if item.warmUp {
                columns.warmUpCounts[k] += 1
                columns.lastWarmUp = max(columns.lastWarmUp ?? .min, item.bar.timestamp.nanoseconds)
            }
        }
        return try report(live: live, backtest: backtest, bars: columns, lastClose: lastClose)
    }

    /// Pairs the fills by time, symbol and side (in order, when one bar filled several) and sums up;
    /// what is still held is valued at `lastClose` (each symbol's last stored close unless given).
    static func report(live everything: [ParityReport.Fill], backtest: [ParityReport.Fill], bars: RunBarColumns,
                       lastClose given: [String: Price]? = nil) throws(TradingRuntimeError) -> ParityReport {
        // Only the bot's fills up to the last stored bar of their symbol are comparable; later ones wait
        // for the turn that stores their bar (a symbol without bars compares everything: all differ).
        var lastBar: [String: Int64] = [:]
        var lastClose: [String: Price] = [:]
        for (symbol, series) in zip(bars.symbols, bars.series) where !series.isEmpty {
            lastBar[symbol] = series.timestamps[series.count - 1]
            lastClose[symbol] = series[series.count - 1].close
        }
        if let given { lastClose = given }
        // An option contract's fills wait for its underlying's bar.
        func last(_ symbol: String) -> Int64? { lastBar[symbol] ?? (try? OCCSymbol(symbol)).flatMap { lastBar[$0.root] } }
        let live = everything.filter { fill in last(fill.symbol).map { fill.time.nanoseconds <= $0 } ?? true }
        struct Key: Hashable {
            let time: Int64
            let symbol: String
            let side: OrderSide
        }
        var waiting: [Key: [Int]] = [:]
        for (index, fill) in backtest.enumerated() { waiting[Key(time: fill.time.nanoseconds, symbol: fill.symbol, side: fill.side), default: []].append(index) }
        var paired = Array(repeating: false, count: backtest.count)
        var differences: [ParityReport.Difference] = []
        var slippages: [Double] = []
        var matched = 0
        for fill in live {
            let key = Key(time: fill.time.nanoseconds, symbol: fill.symbol, side: fill.side)
            guard let index = waiting[key]?.first else {
                differences.append(.init(kind: .liveOnly, live: fill, backtest: nil))
                continue
            }
            waiting[key]?.removeFirst()
            paired[index] = true
            matched += 1
            let other = backtest[index]
            if let bps = ParityReport.slippageBasisPoints(live: fill.price, backtest: other.price, side: fill.side) { slippages.append(bps) }
            if fill.quantity != other.quantity || fill.price != other.price {
                differences.append(.init(kind: .differs, live: fill, backtest: other))
            }
        }
        for (index, fill) in backtest.enumerated() where !paired[index] {
            differences.append(.init(kind: .backtestOnly, live: nil, backtest: fill))
        }
        // In time order; at one time, in the order found (the bot's, then the backtest's leftovers).
        differences = differences.enumerated().sorted { a, b in
            let (x, y) = ((a.element.live ?? a.element.backtest)?.time ?? Timestamp(nanoseconds: 0),
                          (b.element.live ?? b.element.backtest)?.time ?? Timestamp(nanoseconds: 0))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)

        let liveBooks = try books(live, lastClose: lastClose)
        let backtestBooks = try books(backtest, lastClose: lastClose)
        let symbols = Set(liveBooks.positions.keys).union(backtestBooks.positions.keys).sorted()
        let positions = symbols.map {
            ParityReport.Position(symbol: $0, live: liveBooks.positions[$0] ?? .zero, backtest: backtestBooks.positions[$0] ?? .zero)
        }
        let first = bars.series.compactMap(\.timestamps.first).min().map { Timestamp(nanoseconds: $0) }
        let last = bars.series.compactMap(\.timestamps.last).max().map { Timestamp(nanoseconds: $0) }
        return ParityReport(bars: bars.barCount, warmUpBars: bars.warmUpCount, first: first, last: last,
                            liveFills: live.count, backtestFills: backtest.count, matched: matched, differences: differences,
                            meanSlippageBasisPoints: slippages.isEmpty ? nil : slippages.reduce(0, +) / Double(slippages.count),
                            maxSlippageBasisPoints: slippages.max { abs($0) < abs($1) },
                            positions: positions, livePnL: liveBooks.pnl, backtestPnL: backtestBooks.pnl,
                            pendingLiveFills: everything.count - live.count)
    }

    /// Positions and P&L of a list of fills from flat: cash paid and received, commissions, and what
    /// is still held valued at the last close. Out-of-range sums are refused, never trapped on. An
    /// option contract (OCC symbol) moves 100 shares' cash a contract; one still held counts at zero
    /// (no option bars are stored to value it).
    static func books(_ fills: [ParityReport.Fill], lastClose: [String: Price]) throws(TradingRuntimeError)
        -> (positions: [String: Quantity], pnl: Money) {
        var positions: [String: Quantity] = [:]
        var cash = Int128(0)
        func add(_ amount: Int128) throws(TradingRuntimeError) {
            let (sum, overflow) = cash.addingReportingOverflow(amount)
            guard !overflow, Money(units: sum).isInRange else { throw TradingRuntimeError("the fills' cash leaves the books' range") }
            cash = sum
        }
        for fill in fills {
            let isOption = (try? OCCSymbol(fill.symbol)) != nil
            let (units, wide) = fill.quantity.units.multipliedReportingOverflow(by: isOption ? Int128(OptionBook.multiplier) : 1)
            guard !wide else { throw TradingRuntimeError("a fill of \(fill.symbol) at \(fill.time) is beyond the books' range") }
            let notional = fill.price * Quantity(units: units)
            guard notional.isInRange else { throw TradingRuntimeError("a fill of \(fill.symbol) at \(fill.time) is beyond the books' range") }
            try add(fill.side == .buy ? -notional.units : notional.units)
            try add(-fill.commission.units)
            let held = positions[fill.symbol] ?? .zero
            let (moved, overflow) = fill.side == .buy ? held.units.addingReportingOverflow(fill.quantity.units)
                : held.units.subtractingReportingOverflow(fill.quantity.units)
            guard !overflow else { throw TradingRuntimeError("the position in \(fill.symbol) leaves the books' range") }
            positions[fill.symbol] = Quantity(units: moved)
        }
        for (symbol, quantity) in positions where !quantity.isZero && (try? OCCSymbol(symbol)) == nil {
            guard let close = lastClose[symbol] else { throw TradingRuntimeError("no stored bar of \(symbol) to value its position at") }
            let value = close * quantity
            guard value.isInRange else { throw TradingRuntimeError("the position in \(symbol) is beyond the books' range") }
            try add(value.units)
        }
        return (positions.filter { !$0.value.isZero }, Money(units: cash))
    }
}
