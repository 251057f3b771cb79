import Foundation
import PeregrineCore
import PeregrineRisk
import TOMLKit

/// Reads the `[risk]` table of a Peregrine TOML configuration into `RiskLimits`. Every key is
/// optional and defaults to `RiskLimits()`; `false` turns a check off. An unknown key, a value of
/// the wrong type, or a limit `RiskLimits.validate()` refuses is an error naming the key and what
/// would be right.
///
/// ```toml
/// [risk]
/// max_position = 0.10            # share of equity per instrument
/// max_open_positions = 8
/// max_gross_exposure = 0.8
/// max_net_exposure = 0.8
/// max_portfolio_heat = 0.06
/// assumed_stop_distance = 0.05
/// daily_loss_limit = 0.03
/// max_drawdown = 0.2             # or false
/// refuse_contradictory_positions = true
/// underlying_groups = [["SPY", "SPXL"], ["QQQ", "TQQQ"]]
/// reentry_cooldown_seconds = 1800   # or reentry_cooldown_bars = 3, or false
/// price_band = 0.1
/// min_order_notional = 100
/// max_order_notional = 250000
/// max_orders_per_minute = 200
///
/// [risk.correlation]             # or correlation = false
/// threshold = 0.8
/// max_combined_weight = 0.3
/// window = 60
///
/// [risk.stoploss_guard]          # or stoploss_guard = false
/// stop_outs = 3
/// window_seconds = 432000
/// pause_seconds = 86400
///
/// [risk.strategy_breaker]        # off unless given
/// reduce_after_losses = 5        # losing round trips in a row: no new entries until the next session
/// halt_after_losses = 10         # ...: halted until a person resumes (or false)
///
/// [risk.value_at_risk]           # off unless given
/// confidence = 0.95
/// max_fraction = 0.02            # one-bar VaR after the order, as a share of equity
/// window = 250                   # bars of returns
/// method = "historical"          # or "parametric" (normal) or "monte_carlo"
/// paths = 10000                  # monte_carlo: seeded normal draws per estimate
/// seed = 0                       # monte_carlo: the draws' seed
///
/// [risk.losing_streak]           # or losing_streak = false
/// after = 10
/// multiplier = 0.5
/// ```
public enum RiskConfiguration {
    public typealias Failure = ConfigurationFileError

    public static func load(path: String) throws(Failure) -> RiskLimits {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure(description: "\(path): cannot read the configuration file")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String = "configuration") throws(Failure) -> RiskLimits {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Failure(description: "\(source):\(error.source.begin.line): \(error.description)")
        } catch {
            throw Failure(description: "\(source): \(error)")
        }
        var limits = RiskLimits()
        guard let risk = root["risk"] else { return limits }
        guard let table = risk.table else { throw Failure(description: "\(source): [risk] must be a table") }
        var reader = Reader(table: table, path: "risk", source: source)
        limits.maxPositionFraction = try reader.fraction("max_position", default: limits.maxPositionFraction)
        limits.maxOpenPositions = try reader.count("max_open_positions", default: limits.maxOpenPositions)
        limits.maxGrossExposure = try reader.fraction("max_gross_exposure", default: limits.maxGrossExposure)
        limits.maxNetExposure = try reader.fraction("max_net_exposure", default: limits.maxNetExposure)
        limits.maxPortfolioHeat = try reader.fraction("max_portfolio_heat", default: limits.maxPortfolioHeat)
        limits.maxPortfolioDelta = try reader.fraction("max_portfolio_delta", default: limits.maxPortfolioDelta)
        limits.maxPortfolioVega = try reader.fraction("max_portfolio_vega", default: limits.maxPortfolioVega)
        limits.assumedStopDistance = try reader.fraction("assumed_stop_distance", default: limits.assumedStopDistance)
            ?? limits.assumedStopDistance
        limits.dailyLossLimit = try reader.fraction("daily_loss_limit", default: limits.dailyLossLimit)
        limits.maxDrawdown = try reader.fraction("max_drawdown", default: limits.maxDrawdown)
        limits.refuseContradictoryPositions = try reader.flag("refuse_contradictory_positions", default: true)
        limits.underlyingGroups = try reader.groups("underlying_groups")
        let seconds = try reader.count("reentry_cooldown_seconds", default: nil)
        let bars = try reader.count("reentry_cooldown_bars", default: nil)
        if reader.disabled.contains("reentry_cooldown_seconds") || reader.disabled.contains("reentry_cooldown_bars") {
            limits.reentryCooldown = nil
        } else if seconds != nil && bars != nil {
            throw Failure(description: "\(source): risk: give reentry_cooldown_seconds or reentry_cooldown_bars, not both")
        } else if let seconds {
            limits.reentryCooldown = .seconds(Int64(seconds))
        } else if let bars {
            limits.reentryCooldown = .bars(bars)
        }
        limits.priceBand = try reader.fraction("price_band", default: limits.priceBand)
        limits.minOrderNotional = try reader.money("min_order_notional")
        limits.maxOrderNotional = try reader.money("max_order_notional")
        limits.maxOrdersPerMinute = try reader.count("max_orders_per_minute", default: limits.maxOrdersPerMinute)
        limits.correlation = try reader.subtable("correlation", current: limits.correlation) { s throws(Failure) in
            var c = RiskLimits.CorrelationLimit()
            c.threshold = try s.fraction("threshold", default: c.threshold) ?? c.threshold
            c.maxCombinedWeight = try s.fraction("max_combined_weight", default: c.maxCombinedWeight) ?? c.maxCombinedWeight
            c.window = try s.count("window", default: c.window) ?? c.window
            return c
        }
        limits.stoplossGuard = try reader.subtable("stoploss_guard", current: limits.stoplossGuard) { s throws(Failure) in
            var g = RiskLimits.StoplossGuard()
            g.stopOuts = try s.count("stop_outs", default: g.stopOuts) ?? g.stopOuts
            g.windowSeconds = Int64(try s.count("window_seconds", default: Int(g.windowSeconds)) ?? Int(g.windowSeconds))
            g.pauseSeconds = Int64(try s.count("pause_seconds", default: Int(g.pauseSeconds)) ?? Int(g.pauseSeconds))
            return g
        }
        limits.losingStreak = try reader.subtable("losing_streak", current: limits.losingStreak) { s throws(Failure) in
            var l = RiskLimits.LosingStreak()
            l.after = try s.count("after", default: l.after) ?? l.after
            l.multiplier = try s.fraction("multiplier", default: l.multiplier) ?? l.multiplier
            return l
        }
        limits.valueAtRisk = try reader.subtable("value_at_risk", current: limits.valueAtRisk) { s throws(Failure) in
            var v = RiskLimits.ValueAtRiskLimit()
            v.confidence = try s.fraction("confidence", default: v.confidence) ?? v.confidence
            v.maxFraction = try s.fraction("max_fraction", default: v.maxFraction) ?? v.maxFraction
            v.window = try s.count("window", default: v.window) ?? v.window
            guard v.confidence > 0.5 && v.confidence < 1, v.window >= 20 else {
                throw Failure(description: "\(source): risk.value_at_risk: confidence must be in (0.5, 1) and window at least 20")
            }
            let paths = try s.count("paths", default: ValueAtRiskMethod.defaultPaths) ?? ValueAtRiskMethod.defaultPaths
            let seed = try s.count("seed", default: 0) ?? 0
            guard paths >= 100 && paths <= 10_000_000 else {
                throw Failure(description: "\(source): risk.value_at_risk.paths: expected 100 to 10000000 draws, got \(paths)")
            }
            let name = try s.text("method", default: "historical")
            guard let method = ValueAtRiskMethod(name: name, paths: paths, seed: UInt64(seed)) else {
                throw s.failure("method", "one of " + ValueAtRiskMethod.names.joined(separator: ", ") + ", got '\(name)'")
            }
            v.method = method
            return v
        }
        limits.strategyBreaker = try reader.subtable("strategy_breaker", current: limits.strategyBreaker) { s throws(Failure) in
            var b = RiskLimits.StrategyBreaker()
            b.reduceAfterLosses = try s.count("reduce_after_losses", default: b.reduceAfterLosses)
            b.haltAfterLosses = try s.count("halt_after_losses", default: b.haltAfterLosses)
            if s.disabled.contains("reduce_after_losses") { b.reduceAfterLosses = nil }
            if s.disabled.contains("halt_after_losses") { b.haltAfterLosses = nil }
            return b
        }
        try reader.rejectUnknown()
        let problems = limits.validate()
        guard problems.isEmpty else {
            throw Failure(description: "\(source): risk: " + problems.joined(separator: "; "))
        }
        return limits
    }

    /// Typed access to one table, remembering which keys were read and which were `false`.
    struct Reader {
        let table: TOMLTable
        let path: String
        let source: String
        var read: Set<String> = []
        var disabled: Set<String> = []

        func failure(_ key: String, _ expected: String) -> Failure {
            Failure(description: "\(source): \(path).\(key): expected \(expected)")
        }

        /// `false` disables; a number sets; absent keeps the default.
        mutating func fraction(_ key: String, default value: Double?) throws(Failure) -> Double? {
            read.insert(key)
            guard let raw = table[key] else { return value }
            if raw.bool == false { disabled.insert(key); return nil }
            if let number = raw.double { return number }
            if let number = raw.int { return Double(number) }
            throw failure(key, "a number or false")
        }

        mutating func count(_ key: String, default value: Int?) throws(Failure) -> Int? {
            read.insert(key)
            guard let raw = table[key] else { return value }
            if raw.bool == false { disabled.insert(key); return nil }
            guard let number = raw.int, number >= 0 else { throw failure(key, "a whole number ≥ 0 or false") }
            return number
        }

        mutating func text(_ key: String, default value: String) throws(Failure) -> String {
            read.insert(key)
            guard let raw = table[key] else { return value }
            guard let text = raw.string else { throw failure(key, "a string") }
            return text
        }

        mutating func flag(_ key: String, default value: Bool) throws(Failure) -> Bool {
            read.insert(key)
            guard let raw = table[key] else { return value }
            guard let flag = raw.bool else { throw failure(key, "true or false") }
            return flag
        }

        mutating func money(_ key: String) throws(Failure) -> Money? {
            read.insert(key)
            guard let raw = table[key] else { return nil }
            if raw.bool == false { return nil }
            let text = raw.double.map { String($0) } ?? raw.int.map(String.init) ?? raw.string
            guard let text, let amount = Money(text), amount >= .zero else { throw failure(key, "a non-negative amount") }
            return amount
        }

        mutating func groups(_ key: String) throws(Failure) -> [[String]] {
            read.insert(key)
            guard let raw = table[key] else { return [] }
            guard let outer = raw.array else { throw failure(key, "an array of arrays of symbols") }
            var result: [[String]] = []
            for element in outer {
                guard let inner = element.array else { throw failure(key, "an array of arrays of symbols") }
                var group: [String] = []
                for symbol in inner {
                    guard let text = symbol.string else { throw failure(key, "symbols as strings") }
                    group.append(text)
                }
                result.append(group)
            }
            return result
        }

        /// A sub-table, or nil when absent or `false`.
        mutating func section(_ key: String) throws(Failure) -> Reader? {
            read.insert(key)
            guard let raw = table[key] else { return nil }
            if raw.bool == false { disabled.insert(key); return nil }
            guard let sub = raw.table else { throw failure(key, "a table or false") }
            return Reader(table: sub, path: path + "." + key, source: source)
        }

        /// An optional table of limits: present, read by `body` (unknown keys refused); `false`, off;
        /// absent, `current` stays.
        mutating func subtable<T>(_ key: String, current: T?, _ body: (inout Reader) throws(Failure) -> T) throws(Failure) -> T? {
            guard var sub = try section(key) else { return disabled.contains(key) ? nil : current }
            let value = try body(&sub)
            try sub.rejectUnknown()
            return value
        }

        func rejectUnknown() throws(Failure) {
            let unknown = Set(table.keys).subtracting(read).sorted()
            guard unknown.isEmpty else {
                throw Failure(description: "\(source): \(path): unknown key \(unknown.joined(separator: ", ")); known: "
                    + read.sorted().joined(separator: ", "))
            }
        }
    }
}
