import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// The pair, universe and liquidity strategies on the real daily files of `../shared/data`, with the
/// parameters of the README's table: each trades, nothing it sends is refused, and the books
/// reconcile to the unit from the fills.
@Suite(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
struct StrategyLibraryRealDataTests {
    static func load(_ files: [(String, String)]) throws -> [BarSeries] {
        try files.map { try BarCSVReader().read(path: TestPaths.sharedFile($0.0), instrument: .usEquity($0.1)).series }
    }

    @Test(arguments: [
        ("pairs", ["hedge": "rolling"], 300), ("pairs", ["hedge": "kalman", "coint_pvalue": "0.1"], 40),
        ("xs-momentum", ["top": "1"], 20), ("dual-momentum", [:], 20),
    ])
    func tradesORCLAndNVDA(strategy: String, parameters: [String: String], roundTrips: Int) throws {
        let series = try Self.load([("orcl_daily.csv", "ORCL"), ("nvda_daily.csv", "NVDA")])
        let result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(parameters), series: series,
                                                          configuration: BacktestConfiguration())
        #expect(result.roundTrips.count >= roundTrips, "\(result.roundTrips.count) round trips")
        #expect(result.decisions.allSatisfy { $0.outcome != .rejected })
        try BookCheck.reconcile(result)
    }

    @Test(arguments: [("grid", ["recenter": "true", "percent": "0.09"]), ("market-making", ["percent": "0.1"])])
    func quotesORCL(strategy: String, parameters: [String: String]) throws {
        let series = try Self.load([("orcl_daily.csv", "ORCL")])
        let result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(parameters), series: series,
                                                          configuration: BacktestConfiguration())
        #expect(result.fills.count >= 1_000, "\(result.fills.count) fills")
        #expect(result.decisions.allSatisfy { $0.outcome != .rejected })
        try BookCheck.reconcile(result)
    }
}
