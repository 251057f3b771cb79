import PeregrineCore
import PeregrineEngine
import PeregrineTestSupport

/// A strategy that does exactly what a test says on given bars, and records what it was told.
struct ScriptedStrategy: Strategy {
    enum Action {
        case submit(OrderRequest)
        case signal(SignalAction, Quantity)
        case cancelFirstOpenOrder
    }

    var script: [Int: [Action]]
    var bar = 0
    var seenBars: [Timestamp] = []
    var fills: [Fill] = []
    var results: [Result<OrderID, Rejection>] = []

    init(_ script: [Int: [Action]]) { self.script = script }

    mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        seenBars.append(bar.timestamp)
        for action in script[self.bar] ?? [] {
            switch action {
            case .submit(let request): results.append(context.submit(request))
            case .signal(let action, let quantity): context.signal(action, instrument, quantity: quantity)
            case .cancelFirstOpenOrder:
                if let first = context.openOrders(instrument).first { context.cancel(first.id) }
            }
        }
        self.bar += 1
    }

    mutating func onFill(_ fill: Fill, _ context: StrategyContext) { fills.append(fill) }
}

/// Runs a script over bars of one instrument and returns the result.
func runScript(_ bars: [Bar], _ script: [Int: [ScriptedStrategy.Action]], instrument: Instrument = .usEquity("ACME"),
               configure: (inout BacktestConfiguration) -> Void = { _ in }) -> BacktestResult {
    var configuration = BacktestConfiguration()
    configuration.initialCash = Money(1_000_000)
    configure(&configuration)
    let engine = BacktestEngine(series: [BarSeries(instrument: instrument, bars: bars)],
                                strategy: ScriptedStrategy(script), configuration: configuration)
    return engine.run()
}

let acme = InstrumentID(0)

func price(_ text: String) -> Price { Price(text)! }
