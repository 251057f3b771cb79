import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineRisk
import PeregrineStorage
import PeregrineStrategies

struct PortfolioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portfolio",
        abstract: "Backtest several strategies as one portfolio in one account, capital shared by Thompson sampling or static weights.",
        discussion: """
            Each --sleeve is a strategy with its parameters, trading in its own sub-book of one account on one simulated \
            venue: its orders, fills, cash and positions are its own, and the account is their sum. A sleeve sizes \
            its entries from its own capital, so give it a share-of-equity size (percent=..., vol_target=...). \
            Every --rebalance bars the allocator names new weights and cash moves between the sub-books (a sleeve \
            whose capital is in positions gives only its free cash; the rest follows as they close): by \
            --allocation static:w1,w2,..., by Hierarchical Risk Parity (--allocation hrp[:WINDOW]: clustered by the \
            correlation of the sleeves' last WINDOW per-bar returns, 60 by default, and weighted by recursive \
            bisection in inverse proportion to each cluster's variance; equal weights until every sleeve has \
            moved), or by the Thompson meta-controller (default), which keeps a Normal-Gamma \
            posterior of each sleeve's per-bar returns (capital moves taken out) and gives each sleeve its \
            probability of being the best, raised to --floor; --memory below 1 forgets old evidence at each \
            rebalance. Moving capital inside the account costs nothing; the sleeves pay --commission on their \
            trades. --risk and --exits apply to every sleeve on its own books. With --store the meta-controller's \
            state (one per set of sleeves) is loaded at start and saved at the end, so the next run continues \
            learning. `peregrine trade --sleeve ...` runs the same portfolio live. --out writes equity.csv, \
            weights.csv (weights and cash moved at each rebalance), fills.csv and summary.json.

            Examples:
              peregrine portfolio --data ../shared/data/orcl_daily.csv --sleeve sma-cross:fast=10,slow=30,percent=0.95 --sleeve rsi-bollinger:percent=0.95 --sleeve buy-and-hold
              peregrine portfolio --data prices.csv --sleeve sma-cross:percent=0.9 --sleeve hmm-regime:percent=0.9 --allocation static:0.5,0.5 --rebalance 63 --out pf
              peregrine portfolio --data prices/ --sleeve sma-cross:percent=0.9 --sleeve rsi-bollinger:percent=0.9 --sleeve buy-and-hold --allocation hrp:120
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .customLong("sleeve"), help: ArgumentHelp("A strategy and its parameters, repeatable.", valueName: "name[:key=value,...]"))
    var sleeves: [String] = []

    @Option(help: ArgumentHelp("thompson, hrp[:WINDOW] (Hierarchical Risk Parity on the last WINDOW returns), or static:w1,w2,... "
        + "(one weight per sleeve, summing to 1).", valueName: "allocation"))
    var allocation: String = "thompson"

    @Option(help: "Bars between rebalances.")
    var rebalance: Int = 21

    @Option(help: "Smallest weight the meta-controller gives a sleeve.")
    var floor: Double = 0.05

    @Option(help: "Share of old evidence kept at each rebalance (1 keeps everything).")
    var memory: Double = 1

    @Option(help: "Seed of the meta-controller's draws.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Starting cash of the whole account.", valueName: "amount"))
    var cash: String = "1000000"

    @Option(help: ArgumentHelp("Commission model of every sleeve, as for backtest.", valueName: "model"))
    var commission: String = "none"

    @Option(help: ArgumentHelp("Pre-trade risk checks of every sleeve: off (default), default, or a TOML file with a [risk] table.",
                               valueName: "off|default|file"))
    var risk: String = "off"

    @Option(help: ArgumentHelp("TOML file whose [exits] table manages every sleeve's open positions.", valueName: "file"))
    var exits: String?

    @Option(help: ArgumentHelp("SQLite store keeping the meta-controller's state between runs.", valueName: "file"))
    var store: String?

    @Option(help: ArgumentHelp("Folder for equity.csv, weights.csv, fills.csv and summary.json.", valueName: "dir"))
    var out: String?

    /// The store key of the meta-controller's state: one per set of sleeves.
    var stateKey: String { SleeveAllocator.stateKey(sleeves) }

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        guard sleeves.count >= 2 else { throw ValidationError("give at least two --sleeve strategies") }
        guard rebalance > 0 else { throw ValidationError("--rebalance must be at least 1 bar") }
        guard let initialCash = Money(cash), initialCash > .zero else { throw ValidationError("--cash must be a positive amount") }
        let specs = try sleeves.map(Self.parseSleeve)
        let rule: SleeveAllocator.Rule
        do { rule = try SleeveAllocator.rule(parsing: allocation, count: specs.count, floor: floor, seed: seed, memory: memory) } catch {
            throw ValidationError("--allocation: \(error.description)")
        }
        let riskChoice = try RiskChoice(risk)
        let sources = try dataOptions.load()
        let series = sources.map(\.series)
        var configuration = BacktestConfiguration()
        configuration.initialCash = initialCash
        configuration.recordDecisions = false
        configuration.corporateActions = try dataOptions.corporateActionsForBooks(symbols: series.map(\.instrument.symbol))
        do { configuration.venue.commission = try CommissionModel(specification: commission) } catch { throw ValidationError(error.message) }
        configuration.risk = riskChoice.limits(barInterval: series[0].typicalInterval)
        if let exits {
            do {
                guard let plan = try ExitConfiguration.load(path: exits) else { throw ValidationError("--exits '\(exits)': the file has no [exits] table") }
                configuration.exits = plan
            } catch let error as ConfigurationFileError { throw ValidationError("--exits: \(error.description)") }
        }
        let database = try store.map { path -> TradingStore in
            do { return try TradingStore(path: path) } catch { throw CLIFailure.store("--store", path, error) }
        }
        var restored: ThompsonAllocator?
        if let database, case .thompson = rule, let json = try database.loadState(stateKey) {
            do { restored = try JSONDecoder().decode(ThompsonAllocator.self, from: Data(json.utf8)) } catch {
                throw CLIFailure("--store: the saved meta-controller state cannot be read: \(error)")
            }
        }
        let portfolio = MultiStrategyBacktest(sleeves: specs, rule: rule, rebalanceEvery: rebalance, configuration: configuration)
        let result: MultiStrategyResult
        do { result = try portfolio.run(series: series, restored: restored) } catch { throw ValidationError(error.message) }
        if let database, let allocator = result.allocator {
            let json = String(decoding: try JSONEncoder().encode(allocator), as: UTF8.self)
            let time = result.equity.last?.timestamp ?? Timestamp(nanoseconds: 0)
            do { try database.saveState(stateKey, json: json, at: time) } catch { throw CLIFailure("--store: \(error)") }
        }
        if let restored { print("meta-controller continued from the store (\(restored.rebalances) earlier rebalances)") }
        print("sleeve".padding(toLength: 44, withPad: " ", startingAt: 0) + "return    sharpe    trips   final weight   final equity")
        let last = result.rebalances.last!.weights
        for (k, name) in result.names.enumerated() {
            let sleeve = result.sleeves[k]
            print(name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + Table.percent(result.sleeveStatistics[k].totalReturn).padding(toLength: 10, withPad: " ", startingAt: 0)
                + Table.number(result.sleeveStatistics[k].sharpe).padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(sleeve.roundTrips.count).padding(toLength: 8, withPad: " ", startingAt: 0)
                + Table.percent(last[k]).padding(toLength: 15, withPad: " ", startingAt: 0) + sleeve.finalEquity.formatted(places: 2))
        }
        let moved = result.rebalances.reduce(Money.zero) { total, r in total + r.transfers.filter { $0 > .zero }.reduce(.zero, +) }
        var table = Table()
        table.add("allocation", allocation + ", rebalanced every \(rebalance) bars (\(result.rebalances.count - 1) times)")
        table.add("portfolio return", Table.percent(result.statistics.totalReturn) + " (annual " + Table.percent(result.statistics.annualReturn) + ")")
        table.add("sharpe", Table.number(result.statistics.sharpe))
        table.add("max drawdown", Table.percent(result.statistics.maxDrawdown))
        table.add("final equity", result.finalEquity.formatted(places: 2))
        table.add("capital moved", moved.formatted(places: 2))
        table.add("fills", String(result.sleeves.reduce(0) { $0 + $1.fills.count }))
        print("")
        print(table.render())
        guard let out else { return }
        do { try write(result, to: out) } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/equity.csv, weights.csv, fills.csv, summary.json")
    }

    static func parseSleeve(_ text: String) throws -> MultiStrategyBacktest.Sleeve {
        do { return try MultiStrategyBacktest.Sleeve(parsing: text) } catch { throw ValidationError("--sleeve: \(error.message)") }
    }

    private func write(_ result: MultiStrategyResult, to out: String) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let equity = try TextFileWriter(path: out + "/equity.csv")
        try equity.writeLine("timestamp,equity")
        for point in result.equity { try equity.writeLine("\(point.timestamp.compactDescription),\(point.equity)") }
        try equity.close()
        // Sleeve names hold commas: every field naming one is quoted.
        let weights = try TextFileWriter(path: out + "/weights.csv")
        try weights.writeLine((["timestamp", "bar"] + result.names.map { CSVField.quoted("weight " + $0) }
            + result.names.map { CSVField.quoted("moved " + $0) }).joined(separator: ","))
        for r in result.rebalances {
            try weights.writeLine(([Timestamp(nanoseconds: r.timestamp).compactDescription, String(r.step)] + r.weights.map { "\($0)" }
                + r.transfers.map(\.description)).joined(separator: ","))
        }
        try weights.close()
        let fills = try TextFileWriter(path: out + "/fills.csv")
        try fills.writeLine("sleeve,timestamp,symbol,side,quantity,price,commission,client_order_id")
        for (k, sleeve) in result.sleeves.enumerated() {
            for fill in sleeve.fills {
                try fills.writeLine([CSVField.quoted(result.names[k]), fill.timestamp.compactDescription, sleeve.instruments[fill.instrument.index].symbol,
                                     "\(fill.side)", fill.quantity.description, fill.price.description, fill.commission.description,
                                     fill.clientOrderID].joined(separator: ","))
            }
        }
        try fills.close()
        var json = JSONObject()
        json.set("sleeves", strings: result.names)
        json.set("allocation", allocation)
        json.set("rebalances", result.rebalances.count - 1)
        json.set("total_return", result.statistics.totalReturn)
        json.set("sharpe", result.statistics.sharpe)
        json.set("max_drawdown", result.statistics.maxDrawdown)
        json.set("final_equity", result.finalEquity.doubleValue)
        json.set("final_weights", numbers: result.rebalances.last!.weights)
        json.set("sleeve_returns", numbers: result.sleeveStatistics.map(\.totalReturn))
        json.set("sleeve_final_equity", numbers: result.sleeves.map(\.finalEquity.doubleValue))
        try TextFileWriter.write(json.render() + "\n", to: out + "/summary.json")
    }
}
