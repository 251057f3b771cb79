import Foundation
import TOMLKit

/// The deployments `peregrine run` starts, one `[[bots]]` table each: the same settings as
/// `peregrine trade`'s `[trade]` table plus a `name`, with the bot's own `parameters`, `portfolio`,
/// `risk`, `exits` and `sizing` tables beneath it, and one `[live]` table for the account.
///
/// ```toml
/// [[bots]]
/// name = "trend"
/// strategy = "sma-cross"
/// symbols = ["AAPL"]
/// timeframe = "1Min"
/// [bots.parameters]
/// fast = 10
/// slow = 30
/// [bots.risk]
/// daily_loss_limit = 0.02
///
/// [[bots]]
/// name = "reversion"
/// strategy = "rsi-bollinger"
/// symbols = ["MSFT"]
/// timeframe = "1Min"
/// ```
public struct RunConfiguration: Sendable, Equatable {
    public struct Bot: Sendable, Equatable {
        public var name: String
        public var trade: TradeConfiguration
    }

    public var bots: [Bot]

    public static func load(path: String) throws(ConfigurationFileError) -> RunConfiguration {
        try parse(ConfigurationFileError.text(of: path), source: path)
    }

    public static func parse(_ text: String, source: String = "configuration") throws(ConfigurationFileError) -> RunConfiguration {
        func fail(_ message: String) -> ConfigurationFileError { ConfigurationFileError(description: "\(source): \(message)") }
        let root = try ConfigurationFileError.root(of: text, source: source)
        if let unknown = root.keys.sorted().first(where: { !["bots", "live", "alerts", "veto", "account_risk", "validation"].contains($0) }) {
            throw fail("[\(unknown)] is not a table of a run configuration; each bot is a [[bots]] table (with its own "
                       + "[bots.risk], [bots.exits], [bots.sizing]), plus [live], [alerts], [veto], [account_risk] and [validation]")
        }
        guard let list = root["bots"]?.array, !list.isEmpty else {
            throw fail("no [[bots]] tables: each bot is one, with name, strategy, symbols and timeframe")
        }
        var bots: [Bot] = []
        for (k, item) in list.enumerated() {
            guard let table = item.table else { throw fail("bots[\(k)] must be a table ([[bots]])") }
            guard let name = table["name"]?.string, !name.isEmpty, name.count <= 64,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw fail("bots[\(k)].name: expected a name of letters, digits, '-' and '_' (at most 64)")
            }
            guard !bots.contains(where: { $0.name == name }) else { throw fail("bots[\(k)].name: \(name) names two bots") }
            // The bot's table read as `peregrine trade` reads a file: its settings as [trade], its own tables beside.
            let single = TOMLTable()
            let trade = TOMLTable()
            for key in table.keys where key != "name" {
                if ["risk", "exits", "sizing"].contains(key) { single[key] = table[key] } else { trade[key] = table[key] }
            }
            single["trade"] = trade
            if let live = root["live"] { single["live"] = live }
            do {
                bots.append(Bot(name: name, trade: try TradeConfiguration.parse(single.convert(), source: "\(source) bot \(name)")))
            } catch {
                throw ConfigurationFileError(description: error.description.replacingOccurrences(of: "trade.", with: "bots.")
                    .replacingOccurrences(of: "[trade]", with: "[[bots]]"))
            }
        }
        return RunConfiguration(bots: bots)
    }
}
