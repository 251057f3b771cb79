import Foundation
import PeregrineCore
import PeregrineRisk
import TOMLKit

/// Reads the `[sizing]` table of a Peregrine TOML configuration into a `SizingPolicy` (see there for
/// each method); absent keys keep the defaults shown.
///
/// ```toml
/// [sizing]
/// method = "kelly"              # strategy, quantity, notional, percent, fixed_fractional, volatility_target, kelly
/// quantity = 100
/// notional = 10000
/// percent = 0.1                 # also kelly's size before min_trades closed trades
/// risk_per_trade = 0.01         # fixed_fractional: share of equity lost at the stop
/// stop_distance = 0.02          # fixed_fractional: the stop's distance as a fraction of the price
/// kelly_fraction = 0.25
/// utility = "log"               # kelly: log (Kelly growth) or target_hitting
/// target = 1.5                  # target_hitting: reach 1.5x equity ...
/// ruin = 0.5                    # ... before 0.5x ...
/// horizon = 252                 # ... within this many trades
/// min_trades = 20
/// max_position = 1.0            # cap on any entry, as a share of equity
/// volatility_target = 0.15      # volatility_target: annualized, of percent x equity ...
/// volatility_window = 20        # ... over the last 20 returns ...
/// max_leverage = 1.0            # ... scaled at most this many times
/// ```
public enum SizingConfiguration {
    public static func load(path: String) throws(ConfigurationFileError) -> SizingPolicy? {
        try parse(ConfigurationFileError.text(of: path), source: path)
    }

    /// The policy, or nil when the file has no `[sizing]` table.
    public static func parse(_ text: String, source: String = "configuration") throws(ConfigurationFileError) -> SizingPolicy? {
        func fail(_ message: String) -> ConfigurationFileError { ConfigurationFileError(description: "\(source): sizing.\(message)") }
        let root = try ConfigurationFileError.root(of: text, source: source)
        guard let value = root["sizing"] else { return nil }
        guard let table = value.table else { throw ConfigurationFileError(description: "\(source): [sizing] must be a table") }
        let known = ["method", "quantity", "notional", "percent", "risk_per_trade", "stop_distance", "kelly_fraction", "utility", "target",
                     "ruin", "horizon", "min_trades", "max_position", "volatility_target", "volatility_window", "max_leverage"]
        if let unknown = table.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("\(unknown): unknown key; known: \(known.joined(separator: ", "))")
        }
        var policy = SizingPolicy()
        if let raw = table["method"] {
            guard let text = raw.string, let method = SizingPolicy.Method(rawValue: text) else {
                throw fail("method: expected one of \(SizingPolicy.Method.allCases.map(\.rawValue).joined(separator: ", ")), got \(raw)")
            }
            policy.method = method
        }
        func number(_ key: String, _ range: ClosedRange<Double>) throws(ConfigurationFileError) -> Double? {
            guard let raw = table[key] else { return nil }
            guard let value = raw.double ?? raw.int.map(Double.init), value.isFinite, range.contains(value) else {
                throw fail("\(key): expected a number in \(range.lowerBound)...\(range.upperBound), got \(raw)")
            }
            return value
        }
        policy.quantity = try number("quantity", 0.000001...1e12) ?? policy.quantity
        policy.notional = try number("notional", 0.01...1e15) ?? policy.notional
        policy.percent = try number("percent", 0.000001...10) ?? policy.percent
        policy.riskPerTrade = try number("risk_per_trade", 0.000001...1) ?? policy.riskPerTrade
        policy.stopDistance = try number("stop_distance", 0.000001...0.99) ?? policy.stopDistance
        policy.kellyFraction = try number("kelly_fraction", 0...1) ?? policy.kellyFraction
        policy.targetHitting.target = try number("target", 1.000001...100) ?? policy.targetHitting.target
        policy.targetHitting.ruin = try number("ruin", 0.000001...0.999999) ?? policy.targetHitting.ruin
        policy.targetHitting.horizon = Int(try number("horizon", 1...100_000) ?? Double(policy.targetHitting.horizon))
        policy.minTrades = Int(try number("min_trades", 0...1_000_000) ?? Double(policy.minTrades))
        policy.maxPosition = try number("max_position", 0.000001...10) ?? policy.maxPosition
        policy.volatilityTarget = try number("volatility_target", 0.0001...10) ?? policy.volatilityTarget
        policy.volatilityWindow = Int(try number("volatility_window", 2...100_000) ?? Double(policy.volatilityWindow))
        policy.maxLeverage = try number("max_leverage", 0.01...100) ?? policy.maxLeverage
        if let raw = table["utility"] {
            switch raw.string {
            case "log": policy.utility = .logarithmic
            case "target_hitting": policy.utility = .targetHitting
            default: throw fail("utility: expected \"log\" or \"target_hitting\", got \(raw)")
            }
        }
        return policy
    }
}
