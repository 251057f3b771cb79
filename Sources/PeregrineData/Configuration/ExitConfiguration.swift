import Foundation
import PeregrineCore
import PeregrineRisk
import TOMLKit

/// Reads the `[exits]` table of a Peregrine TOML configuration into an `ExitPlan`; absent keys
/// leave a rule off. Distances are `"2%"`, `"1.5"` (price units) or `"atr:2"`; trailing is
/// `"5%"`, `"atr:3"` or `"chandelier:3,22"` (ATR multiple, lookback bars).
///
/// ```toml
/// [exits]
/// stop_loss = "2%"
/// take_profit = "atr:3"
/// trailing = "chandelier:3,22"
/// time_stop_bars = 20
/// resting = false               # stop_loss and take_profit as resting orders that fill inside the bar
/// scaled = true                 # one third at 1R, one third at 2R, the rest trailed at 1.5 ATR
/// end_of_day = "15:53"          # New York; earlier by the same margin on early-close days
/// atr_period = 14
/// ```
public enum ExitConfiguration {
    public static func load(path: String) throws(ConfigurationFileError) -> ExitPlan? {
        try parse(ConfigurationFileError.text(of: path), source: path)
    }

    /// The plan, or nil when the file has no `[exits]` table.
    public static func parse(_ text: String, source: String = "configuration") throws(ConfigurationFileError) -> ExitPlan? {
        func fail(_ message: String) -> ConfigurationFileError { ConfigurationFileError(description: "\(source): exits.\(message)") }
        let root = try ConfigurationFileError.root(of: text, source: source)
        guard let value = root["exits"] else { return nil }
        guard let table = value.table else { throw ConfigurationFileError(description: "\(source): [exits] must be a table") }
        let known = ["stop_loss", "take_profit", "trailing", "time_stop_bars", "scaled", "end_of_day", "atr_period", "resting"]
        if let unknown = table.keys.first(where: { !known.contains($0) }) {
            throw fail("\(unknown): unknown key; known: \(known.joined(separator: ", "))")
        }
        func distance(_ key: String) throws(ConfigurationFileError) -> ExitPlan.Distance? {
            guard let raw = table[key] else { return nil }
            guard let text = raw.string else { throw fail("\(key): expected a string such as \"2%\", \"1.5\" or \"atr:2\"") }
            if text.hasSuffix("%"), let p = Double(text.dropLast()), p > 0 { return .percent(p / 100) }
            if text.hasPrefix("atr:"), let k = Double(text.dropFirst(4)), k > 0 { return .atr(k) }
            if let d = Double(text), d > 0 { return .price(d) }
            throw fail("\(key) = \"\(text)\": expected \"2%\", \"1.5\" or \"atr:2\"")
        }
        var plan = ExitPlan(stopLoss: try distance("stop_loss"), takeProfit: try distance("take_profit"))
        if let raw = table["trailing"] {
            guard let text = raw.string else { throw fail("trailing: expected \"5%\", \"atr:3\" or \"chandelier:3,22\"") }
            if text.hasSuffix("%"), let p = Double(text.dropLast()), p > 0, p < 100 {
                plan.trailing = .percent(p / 100)
            } else if text.hasPrefix("atr:"), let k = Double(text.dropFirst(4)), k > 0 {
                plan.trailing = .atr(k)
            } else if text.hasPrefix("chandelier:") {
                let parts = text.dropFirst("chandelier:".count).split(separator: ",")
                guard parts.count == 2, let k = Double(parts[0]), let n = Int(parts[1]), k > 0, n > 0 else {
                    throw fail("trailing = \"\(text)\": expected \"chandelier:MULTIPLE,LOOKBACK\" such as \"chandelier:3,22\"")
                }
                plan.trailing = .chandelier(multiple: k, lookback: n)
            } else {
                throw fail("trailing = \"\(text)\": expected \"5%\", \"atr:3\" or \"chandelier:3,22\"")
            }
        }
        if let raw = table["time_stop_bars"] {
            guard let bars = raw.int, bars > 0 else { throw fail("time_stop_bars: expected a whole number above 0") }
            plan.timeStopBars = bars
        }
        if let raw = table["resting"] {
            guard let on = raw.bool else { throw fail("resting: expected true or false") }
            plan.resting = on
        }
        if let raw = table["scaled"] {
            guard let on = raw.bool else { throw fail("scaled: expected true or false") }
            plan.scaled = on ? ExitPlan.Scaled() : nil
        }
        if let raw = table["end_of_day"] {
            if raw.bool == false {
                plan.endOfDay = nil
            } else {
                let pieces = raw.string?.split(separator: ":").compactMap { Int($0) } ?? []
                guard pieces.count == 2, (0..<24).contains(pieces[0]), (0..<60).contains(pieces[1]) else {
                    throw fail("end_of_day: expected \"HH:MM\" (New York time) or false")
                }
                var eod = ExitPlan.EndOfDay()
                eod.minute = pieces[0] * 60 + pieces[1]
                eod.minutesBeforeClose = max(0, 16 * 60 - eod.minute)
                plan.endOfDay = eod
            }
        }
        if let raw = table["atr_period"] {
            guard let period = raw.int, period >= 1 else { throw fail("atr_period: expected a whole number ≥ 1") }
            plan.atrPeriod = period
        }
        return plan
    }
}
