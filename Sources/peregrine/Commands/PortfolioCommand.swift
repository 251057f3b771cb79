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
        abstract: "Run several strategies as one portfolio, capital shared by Thompson sampling or static weights.",
        discussion: """
            Each --sleeve is a strategy with its parameters, backtested in its own sub-book on the same data; size
            sleeves by share of equity (percent=..., vol_target=...) so a sleeve's returns scale with its capital.
            Every --rebalance bars the capital is split again: by --allocation static:w1,w2,... or by the Thompson
            meta-controller (default), which keeps a Normal-Gamma posterior of each sleeve's per-bar returns and
            gives each sleeve its probability of being the best, raised to --floor; --memory below 1 forgets
            old evidence at each rebalance. Moving capital costs --cost-bps of the amount moved. With --store
            the meta-controller's state (one per set of sleeves) is loaded at start and saved at the end, so the
            next run, on newer data, continues learning. --out writes equity.csv, weights.csv and summary.json.

            Examples:
              peregrine portfolio --data ../shared/data/orcl_daily.csv --sleeve sma-cross:fast=10,slow=30,percent=0.95 --sleeve rsi-bollinger:percent=0.95 --sleeve buy-and-hold
              peregrine portfolio --data prices.csv --sleeve sma-cross:percent=0.9 --sleeve hmm-regime --allocation static:0.5,0.5 --rebalance 63 --cost-bps 5 --out pf
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .customLong("sleeve"), help: ArgumentHelp("A strategy and its parameters, repeatable.", valueName: "name[:key=value,...]"))
    var sleeves: [String] = []

    @Option(help: ArgumentHelp("thompson, or static:w1,w2,... (one weight per sleeve, summing to 1).", valueName: "allocation"))
    var allocation: String = "thompson"

    @Option(help: "Bars between rebalances.")
    var rebalance: Int = 21

    @Option(help: "Smallest weight the meta-controller gives a sleeve.")
    var floor: Double = 0.05

    @Option(help: "Share of old evidence kept at each rebalance (1 keeps everything).")
    var memory: Double = 1

    @Option(help: ArgumentHelp("Cost of moving capital between sleeves, in basis points.", valueName: "bps"))
    var costBps: Double = 0

    @Option(help: "Seed of the meta-controller's draws.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Starting cash.", valueName: "amount"))
    var cash: String = "1000000"

    @Option(help: ArgumentHelp("Commission model of every sleeve, as for backtest.", valueName: "model"))
    var commission: String = "none"

    @Option(help: ArgumentHelp("SQLite store keeping the meta-controller's state between runs.", valueName: "file"))
    var store: String?

    @Option(help: ArgumentHelp("Folder for equity.csv, weights.csv and summary.json.", valueName: "dir"))
    var out: String?

    /// The store key of the meta-controller's state: one per set of sleeves.
    var stateKey: String { "portfolio.allocator:" + sleeves.joined(separator: "|") }

    func run() throws {
        guard sleeves.count >= 2 else { throw ValidationError("give at least two --sleeve strategies") }
        guard rebalance > 0, costBps >= 0, memory > 0 && memory <= 1 else {
            throw ValidationError("--rebalance > 0, --cost-bps ≥ 0 and --memory in (0, 1]")
        }
        guard let initialCash = Money(cash), initialCash > .zero else { throw ValidationError("--cash must be a positive amount") }
        let specs = try sleeves.map(Self.parseSleeve)
        let choice = try parseAllocation(count: specs.count)
        let sources = try dataOptions.load()
        let series = sources.map(\.series)
        var configuration = BacktestConfiguration()
        configuration.initialCash = initialCash
        configuration.recordDecisions = false
        do { configuration.venue.commission = try CommissionModel(specification: commission) } catch { throw ValidationError(error.message) }
        var results: [BacktestResult] = []
        for spec in specs {
            configuration.strategyName = spec.strategy
            do {
                results.append(try StrategyCatalog.backtest(strategy: spec.strategy, parameters: spec.parameters, series: series,
                                                            configuration: configuration))
            } catch { throw ValidationError("--sleeve \(spec.label): \(error.message)") }
        }
        let names = specs.map(\.label)
        var settings = StrategyPortfolio.Settings(allocation: choice, rebalanceEvery: rebalance)
        settings.costBps = costBps
        settings.memory = memory
        let database = try store.map { path -> TradingStore in
            do { return try TradingStore(path: path) } catch { throw CLIFailure("--store \(path): \(error)") }
        }
        var restored: ThompsonAllocator?
        if let database, case .thompson = choice, let json = try database.loadState(stateKey) {
            do { restored = try JSONDecoder().decode(ThompsonAllocator.self, from: Data(json.utf8)) } catch {
                throw CLIFailure("--store: the saved meta-controller state cannot be read: \(error)")
            }
        }
        let report: StrategyPortfolio.Report
        do {
            report = try StrategyPortfolio(names: names, settings: settings, periodsPerYear: results[0].periodsPerYear)
                .run(results, initialCapital: initialCash.doubleValue, allocator: restored)
        } catch { throw CLIFailure(error.description) }
        if let database, let allocator = report.allocator {
            let json = String(decoding: try JSONEncoder().encode(allocator), as: UTF8.self)
            let time = results[0].equity.last?.timestamp ?? Timestamp(nanoseconds: 0)
            do { try database.saveState(stateKey, json: json, at: time) } catch { throw CLIFailure("--store: \(error)") }
        }
        if let restored { print("meta-controller continued from the store (\(restored.rebalances) earlier rebalances)") }
        print("sleeve".padding(toLength: 44, withPad: " ", startingAt: 0) + "own return   sharpe    final weight   final capital")
        let last = report.rebalances.last!.weights
        for (k, name) in names.enumerated() {
            print(name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + Table.percent(report.sleeveReturns[k]).padding(toLength: 13, withPad: " ", startingAt: 0)
                + Table.number(results[k].metrics.returns.sharpe).padding(toLength: 10, withPad: " ", startingAt: 0)
                + Table.percent(last[k]).padding(toLength: 15, withPad: " ", startingAt: 0) + Table.format(report.finalCapital[k], places: 0))
        }
        var table = Table()
        table.add("allocation", allocation + ", rebalanced every \(rebalance) bars (\(report.rebalances.count - 1) times)")
        table.add("portfolio return", Table.percent(report.statistics.totalReturn) + " (annual " + Table.percent(report.statistics.annualReturn) + ")")
        table.add("sharpe", Table.number(report.statistics.sharpe))
        table.add("max drawdown", Table.percent(report.statistics.maxDrawdown))
        table.add("final equity", Table.format(report.equity.last ?? initialCash.doubleValue, places: 2))
        table.add("rebalancing cost", Table.format(report.rebalances.reduce(0) { $0 + $1.cost }, places: 2))
        print("")
        print(table.render())
        guard let out else { return }
        do { try write(report, times: results[0].equity.map(\.timestamp), to: out) } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/equity.csv, weights.csv, summary.json")
    }

    struct Sleeve {
        var label: String
        var strategy: String
        var parameters: StrategyParameters
    }

    /// `name[:key=value,key=value]`.
    static func parseSleeve(_ text: String) throws -> Sleeve {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first, !name.isEmpty else { throw ValidationError("--sleeve '\(text)': expected name[:key=value,...]") }
        let assignments = parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : []
        do { return Sleeve(label: text, strategy: name, parameters: try StrategyParameters(assignments: assignments)) } catch {
            throw ValidationError("--sleeve '\(text)': \(error.message)")
        }
    }

    private func parseAllocation(count: Int) throws -> StrategyPortfolio.Allocation {
        if allocation == "thompson" {
            guard floor >= 0, floor * Double(count) <= 1 else { throw ValidationError("--floor \(floor) x \(count) sleeves exceeds 1") }
            return .thompson(floor: floor, seed: seed)
        }
        guard allocation.hasPrefix("static:") else { throw ValidationError("--allocation '\(allocation)': use thompson or static:w1,w2,...") }
        let weights = allocation.dropFirst(7).split(separator: ",").map { Double($0) }
        guard weights.count == count, weights.allSatisfy({ $0 != nil && $0! >= 0 }),
              abs(weights.reduce(0) { $0 + ($1 ?? 0) } - 1) < 1e-9 else {
            throw ValidationError("--allocation '\(allocation)': give \(count) non-negative weights summing to 1")
        }
        return .staticWeights(weights.map { $0! })
    }

    private func write(_ report: StrategyPortfolio.Report, times: [Timestamp], to out: String) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let equity = try TextFileWriter(path: out + "/equity.csv")
        try equity.writeLine("timestamp,equity")
        for (time, value) in zip(times, report.equity) { try equity.writeLine("\(time.compactDescription),\(value)") }
        try equity.close()
        let weights = try TextFileWriter(path: out + "/weights.csv")
        try weights.writeLine((["timestamp", "bar"] + report.names.map { "\"\($0)\"" } + ["turnover", "cost"]).joined(separator: ","))
        for r in report.rebalances {
            try weights.writeLine(([Timestamp(nanoseconds: r.timestamp).compactDescription, String(r.bar)] + r.weights.map { "\($0)" }
                + ["\(r.turnover)", "\(r.cost)"]).joined(separator: ","))
        }
        try weights.close()
        var json = JSONObject()
        json.set("sleeves", strings: report.names)
        json.set("allocation", allocation)
        json.set("rebalances", report.rebalances.count - 1)
        json.set("total_return", report.statistics.totalReturn)
        json.set("sharpe", report.statistics.sharpe)
        json.set("max_drawdown", report.statistics.maxDrawdown)
        json.set("final_equity", report.equity.last ?? 0)
        json.set("final_weights", numbers: report.rebalances.last!.weights)
        json.set("sleeve_returns", numbers: report.sleeveReturns)
        try TextFileWriter.write(json.render() + "\n", to: out + "/summary.json")
    }
}
