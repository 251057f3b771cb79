import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineEngine
import PeregrineRisk
import PeregrineStorage
import PeregrineStrategies

extension TradingRuntime {
    /// The tag in a sleeve's client order ids (`PREFIX-TAG-N`): fixed by the sleeve's text, so a
    /// restart tells whose each stored fill and working order is.
    public static func sleeveTag(_ name: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return "s" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Several strategies as sleeves of the account: each sleeve's books start with the positions
    /// its own stored fills hold and a share of the cash, the meta-controller continues from the
    /// store, this deployment's working orders go back to the sleeves that sent them.
    static func portfolioSession(_ portfolio: TradingSettings.PortfolioSettings, series: [BarSeries], venue: BrokerVenue, cash: Money,
                                 holdings: [(InstrumentID, Quantity, Price)], adopted: [Int: String], configuration: BacktestConfiguration,
                                 accountState: RiskState,
                                 periodsPerYear: Double, capacity: Int, clientOrderPrefix: String, broker: AlpacaTradingClient,
                                 store: TradingStore?, runID: Int64?, settings: TradingSettings, reconciliation: ReconciliationReport?,
                                 decisionLog: (any DecisionSink)?, log: @escaping @Sendable (String) -> Void) throws -> any WarmableTradingLoop {
        var sleeves: [MultiStrategyBacktest.Sleeve] = []
        for text in portfolio.sleeves {
            do { sleeves.append(try MultiStrategyBacktest.Sleeve(parsing: text)) } catch { throw TradingRuntimeError("trade.portfolio: \(error.message)") }
        }
        let names = sleeves.map(\.name)
        let tags = names.map(sleeveTag)
        guard Set(names).count == names.count else { throw TradingRuntimeError("trade.portfolio: a sleeve is listed twice") }
        var restored: ThompsonAllocator?
        if let store, case .thompson = portfolio.rule, let json = try store.loadState(SleeveAllocator.stateKey(names)) {
            do { restored = try JSONDecoder().decode(ThompsonAllocator.self, from: Data(json.utf8)) } catch {
                throw TradingRuntimeError("the store's meta-controller state for these sleeves cannot be read: \(error)")
            }
            log("meta-controller continued from the store (\(restored!.rebalances) earlier rebalances)")
        }
        let allocator: SleeveAllocator
        do { allocator = try SleeveAllocator(names: names, rule: portfolio.rule, restored: restored) } catch {
            throw TradingRuntimeError("trade.portfolio: \(error.description)")
        }
        let kernel = MultiStrategyKernel(venue: venue, allocator: allocator, rebalanceEvery: portfolio.rebalanceBars,
                                         equity: EquityCurve(capacity: capacity), periodsPerYear: periodsPerYear,
                                         accountLimits: configuration.risk, accountState: accountState)
        kernel.tradingStart = configuration.tradingStart?.nanoseconds
        let held = try SleeveOpening.holdings(fills: try store?.fills(tradingOnly: true) ?? [], tags: tags,
                                              symbols: series.map(\.instrument.symbol), broker: holdings)
        let accounts = SleeveOpening.accounts(cash: cash, holdings: held, weights: kernel.weights, instrumentCount: series.count)
        for (k, sleeve) in sleeves.enumerated() {
            var riskState = RiskState()
            if let store, let text = try store.loadState(riskStateKey(sleeve.name)) {
                riskState = try JSONDecoder().decode(RiskState.self, from: Data(text.utf8))
            }
            let adder = LiveSleeveAdder(kernel: kernel, series: series, account: accounts[k], riskState: riskState, capacity: capacity,
                                        clientOrderTag: clientOrderPrefix + "-" + tags[k], store: store, name: sleeve.name, log: log)
            let shorts: Bool
            do {
                shorts = try StrategyRegistry.shared.build(strategy: sleeve.strategy, parameters: sleeve.parameters, periodsPerYear: periodsPerYear,
                                                   configuration: configuration, visitor: adder)
            } catch { throw TradingRuntimeError("trade.portfolio sleeve \(sleeve.name): \(error.message)") }
            // The broker keeps one netted position per symbol: a sleeve short where another is long
            // would be refused there (shares held for the other's exits) or netted away.
            if shorts {
                throw TradingRuntimeError("trade.portfolio sleeve \(sleeve.name) may sell short; the sleeves share the broker's one position "
                                          + "per symbol, so trade shorting strategies outside [trade.portfolio] (or with allow_short = false)")
            }
        }
        for id in adopted.keys.sorted() {
            let clientOrderID = venue.order(OrderID(id))?.clientOrderID ?? ""
            guard let k = SleeveOpening.sleeve(of: clientOrderID, tags: tags) else {
                throw TradingRuntimeError("working order \(clientOrderID) is no sleeve's; cancel it or trade it without [trade.portfolio]")
            }
            kernel.router.claim(OrderID(id), for: k)
        }
        log("portfolio of \(names.count) sleeves: " + zip(names, accounts).map { "\($0.0) \($0.1.cash.formatted(places: 2)) cash" }
            .joined(separator: ", "))
        return TradingSession(kernel: kernel, broker: broker, store: store, runID: runID, settings: settings,
                              reconciliation: reconciliation, adopted: adopted, decisionLog: decisionLog, log: log)
    }
}

/// Adds a sleeve built by name to a live multi-strategy kernel, resuming its learning from the store.
private struct LiveSleeveAdder: StrategyVisitor {
    let kernel: MultiStrategyKernel<BrokerVenue>
    let series: [BarSeries]
    let account: Account
    let riskState: RiskState
    let capacity: Int
    let clientOrderTag: String
    let store: TradingStore?
    let name: String
    let log: @Sendable (String) -> Void

    /// Adds the sleeve; answers whether it may sell short.
    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> Bool {
        let strategy = TradingRuntime.resumed(strategy, store: store, name: name, log: log)
        kernel.addSleeve(strategy: strategy, series: series, account: account, configuration: configuration,
                         equity: EquityCurve(capacity: capacity), riskState: riskState, clientOrderTag: clientOrderTag)
        return configuration.allowShort
    }
}
