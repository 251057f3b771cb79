import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineLive
import PeregrineRisk
import PeregrineStorage

struct RiskStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print every risk state a trading store keeps: breakers, kill switch, last transition.",
        discussion: """
            One block per saved state: the deployment's strategy, each sleeve of a portfolio, and the \
            portfolio's account ("portfolio"). A halted state waits for `peregrine risk resume`.

            Example:
              peregrine risk status --store peregrine-trading.sqlite
            """
    )

    @Option(help: ArgumentHelp("The trading store.", valueName: "file"))
    var store: String = "peregrine-trading.sqlite"

    func run() throws {
        let database = try RiskStatusCommand.open(store)
        let keys = try database.stateKeys(prefix: TradingRuntime.riskStateKey(""))
        guard !keys.isEmpty else {
            print("no risk state in \(StoreLocation.redacted(store))")
            return
        }
        for (n, key) in keys.enumerated() {
            if n > 0 { print("") }
            let state = try RiskStatusCommand.load(key, from: database)
            var table = Table()
            table.add("strategy", String(key.dropFirst(TradingRuntime.riskStateKey("").count)))
            table.add("account", state.account.state.rawValue + (state.killSwitchEngaged ? " (kill switch engaged)" : ""))
            for (name, breaker) in state.strategies.sorted(by: { $0.key < $1.key }) { table.add("breaker \(name)", breaker.state.rawValue) }
            if let last = state.account.transitions.last {
                table.add("last transition", "\(Timestamp(nanoseconds: last.time)) \(last.from.rawValue) -> \(last.to.rawValue): \(last.reason)")
            }
            table.add("equity peak", state.equityPeak.map { String(format: "%.2f", $0) } ?? "-")
            table.add("losing streak", "\(state.consecutiveLosses)")
            print(table.render())
        }
    }

    static func open(_ path: String) throws -> TradingStore {
        guard StoreLocation.isURL(path) || FileManager.default.fileExists(atPath: path) else { throw CLIFailure("--store \(StoreLocation.redacted(path)): no such file") }
        do { return try TradingStore(path: path) } catch { throw CLIFailure.store("--store", path, error) }
    }

    static func load(_ key: String, from database: TradingStore) throws -> RiskState {
        guard let json = try database.loadState(key) else { throw CLIFailure("no risk state \(key) in the store") }
        do { return try JSONDecoder().decode(RiskState.self, from: Data(json.utf8)) } catch {
            throw CLIFailure("risk state \(key) cannot be read: \(error)")
        }
    }
}
