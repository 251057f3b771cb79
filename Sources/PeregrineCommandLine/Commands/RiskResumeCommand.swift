import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineLive
import PeregrineRisk
import PeregrineStorage

struct RiskResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume trading after the kill switch or a halt: a person's decision, logged with their name.",
        discussion: """
            Releases the kill switch, starts the equity peak afresh, ends a pause set from the control API, and \
            returns the account's and strategies' breakers to active in the saved risk state of --strategy (the deployment's strategy, a portfolio \
            sleeve as written in [trade.portfolio], or "portfolio" for a portfolio's account), or of every \
            saved state with --all. The next `peregrine trade` start reads it. Do it while no trader runs \
            on the store: a running one saves its own state at shutdown.

            Examples:
              peregrine risk resume --store peregrine-trading.sqlite --strategy sma-cross --by alice
              peregrine risk resume --store peregrine-trading.sqlite --all --by alice
            """
    )

    @Option(help: ArgumentHelp("The trading store.", valueName: "file"))
    var store: String = "peregrine-trading.sqlite"

    @Option(help: ArgumentHelp("Whose risk state to resume.", valueName: "name"))
    var strategy: String?

    @Flag(help: "Resume every saved risk state.")
    var all = false

    @Option(help: ArgumentHelp("Who decided to resume (kept in the breakers' transitions).", valueName: "person"))
    var by: String

    func validate() throws {
        guard (strategy != nil) != all else { throw ValidationError("give --strategy NAME or --all") }
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by must name a person") }
    }

    func run() throws {
        let database = try RiskStatusCommand.open(store)
        let keys = all ? try database.stateKeys(prefix: TradingRuntime.riskStateKey("")) : [TradingRuntime.riskStateKey(strategy!)]
        guard !keys.isEmpty else { throw CLIFailure("no risk state in \(StoreLocation.redacted(store))") }
        let now = WallClock.now()
        for key in keys {
            var state = try RiskStatusCommand.load(key, from: database)
            let before = state.account.state.rawValue + (state.killSwitchEngaged ? " (kill switch engaged)" : "")
            state.resume(at: now, by: by)
            try database.saveState(key, json: String(decoding: try JSONEncoder().encode(state), as: UTF8.self), at: now)
            print("\(key.dropFirst(TradingRuntime.riskStateKey("").count)): \(before) -> active, resumed by \(by)")
        }
        // A person's pause from the control API also ends here (it outlives restarts until resumed).
        let names = all ? try database.stateKeys(prefix: "control:").map { String($0.dropFirst("control:".count).dropLast(":entries".count)) }
            : [strategy!]
        for name in names where try database.loadState("control:\(name):entries") == "paused" {
            try database.saveState("control:\(name):entries", json: "active", at: now)
            print("\(name): paused -> entries allowed, resumed by \(by)")
        }
    }
}
