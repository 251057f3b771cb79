import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// Statistical arbitrage on a pair (y, x): the spread y - a - b·x (of log closes with `log=true`)
/// and its z-score come from `PairSpreadModel` (hedge ratio `static`, `rolling` or `kalman`). Flat,
/// a z-score above `entry` sells the spread (sell y, buy x) and one below -`entry` buys it; a held
/// spread closes when the z-score is back inside ±`exit`, and is stopped when it runs beyond ±`stop`
/// against the position. With `coint_pvalue` below 1, an Engle-Granger test on the latest
/// `formation` bars every `coint_every` bars must give a p-value at or below it: a pair that fails is
/// closed and not entered until it passes again.
///
/// The legs are dollar-neutral: each is `percent` of equity in notional at the decision bar's closes,
/// rounded down to lots. Both go out on the same bar, when both symbols have a bar of that time.
/// A leg refused when sent (risk limits, buying power, the schedule) or later by the broker never
/// leaves the other alone: with `leg_failure=unwind` the other leg is canceled or closed, with
/// `complete` the missing leg is sent again on the next bar (at most `leg_retries` times, then
/// unwound). An order still working after `leg_timeout` pair bars is canceled. Each such step is a
/// decision whose note starts with its reason (`pair_leg_rejected`, `pair_unwind`,
/// `pair_complete_leg`, `pair_leg_timeout`, `pair_entry_failed`). After a stop, a failed test or a
/// failed entry, no new entry until the z-score has come back inside ±`exit`.
public struct PairsTradingStrategy: Strategy {
    public enum LegFailure: String, CaseIterable, Sendable {
        case unwind
        case complete
    }

    public let ySymbol: String?
    public let xSymbol: String?
    public let entry: Double
    public let exit: Double
    public let stop: Double
    public let usesLogs: Bool
    public let fraction: Double
    public let cointegrationPValue: Double
    public let cointegrationEvery: Int
    public let legFailure: LegFailure
    public let legRetries: Int
    public let legTimeout: Int
    private var model: PairSpreadModel
    private var legs: (y: InstrumentID, x: InstrumentID)?
    /// Signed quantities the pair should hold once its orders are done.
    private var target: (y: Quantity, x: Quantity) = (.zero, .zero)
    /// The pair bar the working orders were sent on.
    private var sentAt = 0
    private var pairBars = 0
    private var completions = 0
    /// No entry until the z-score is back inside the exit band.
    private var blocked = false
    /// The latest Engle-Granger verdict (true while the test is off).
    private var cointegrated: Bool
    private var lastPValue: Double?
    private var lastOrders: (y: OrderID?, x: OrderID?) = (nil, nil)
    /// Why the run's symbols make no pair, until it is logged.
    private var unresolved: String?

    init(ySymbol: String?, xSymbol: String?, model: PairSpreadModel, entry: Double, exit: Double, stop: Double, usesLogs: Bool,
         fraction: Double, cointegrationPValue: Double, cointegrationEvery: Int, legFailure: LegFailure, legRetries: Int,
         legTimeout: Int) {
        self.ySymbol = ySymbol
        self.xSymbol = xSymbol
        self.model = model
        self.entry = entry
        self.exit = exit
        self.stop = stop
        self.usesLogs = usesLogs
        self.fraction = fraction
        self.cointegrationPValue = cointegrationPValue
        self.cointegrationEvery = cointegrationEvery
        self.legFailure = legFailure
        self.legRetries = legRetries
        self.legTimeout = legTimeout
        cointegrated = cointegrationPValue >= 1
    }

    public static var observesOrderUpdates: Bool { false }

    public mutating func onStart(_ context: StrategyContext) {
        let symbols = context.instruments.map(\.symbol)
        func find(_ symbol: String?, default index: Int) -> InstrumentID? {
            guard let symbol else { return symbols.indices.contains(index) ? InstrumentID(index) : nil }
            return symbols.firstIndex { $0.uppercased() == symbol.uppercased() }.map(InstrumentID.init)
        }
        guard let y = find(ySymbol, default: 0), let x = find(xSymbol, default: 1), y != x else {
            let asked = "y=\(ySymbol ?? "(first)") x=\(xSymbol ?? "(second)")"
            unresolved = "pairs_no_pair; \(asked) does not name two different symbols of the run (\(symbols.joined(separator: ", "))): not trading"
            return
        }
        legs = (y, x)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        if let unresolved {
            // Said once, at the first bar, so the decision carries a time of the run.
            context.signal(.hold, instrument, quantity: .zero, note: unresolved)
            self.unresolved = nil
        }
        guard let legs, instrument == legs.y || instrument == legs.x else { return }
        // Acts once per time, on the second of the two bars.
        let other = context.history(instrument == legs.y ? legs.x : legs.y)
        guard other.count > 0, other[ago: 0].timestamp == bar.timestamp else { return }
        let priceY = context.mark(legs.y).doubleValue, priceX = context.mark(legs.x).doubleValue
        guard priceY > 0, priceX > 0 else { return }
        pairBars += 1
        let reading = usesLogs ? model.update(y: log(priceY), x: log(priceX)) : model.update(y: priceY, x: priceX)
        testCointegration()
        guard legsSettled(legs, context) else { return }
        guard let reading else { return }
        let z = reading.zScore
        let note = "z=\(rounded(z)) ratio=\(rounded(reading.ratio)) spread=\(rounded(reading.spread))"
            + (lastPValue.map { " p=\(rounded($0))" } ?? "")
        let held = target.y.units > 0 ? 1 : (target.y.units < 0 ? -1 : 0)
        if held == 0 {
            if blocked && abs(z) < exit { blocked = false }
            guard !blocked, cointegrated else { return }
            if z > entry {
                enter(direction: -1, legs, note: "pair_enter_short; " + note, context)
            } else if z < -entry {
                enter(direction: 1, legs, note: "pair_enter_long; " + note, context)
            }
            return
        }
        let against = Double(held) * z
        if against < -stop {
            blocked = true
            close(legs, note: "pair_stop; " + note, context)
        } else if against > -exit {
            close(legs, note: "pair_exit; " + note, context)
        } else if !cointegrated {
            blocked = true
            close(legs, note: "pair_not_cointegrated; " + note, context)
        }
    }

    // MARK: - Legs

    /// Sends both legs: `direction` 1 buys y and sells x, -1 the reverse, each `fraction` of equity.
    private mutating func enter(direction: Int, _ legs: (y: InstrumentID, x: InstrumentID), note: String, _ context: StrategyContext) {
        let notional = context.equity.doubleValue * fraction
        let quantityY = Quantity(approximating: notional / context.mark(legs.y).doubleValue)
            .rounded(downToLot: context.instrument(legs.y).lotSize)
        let quantityX = Quantity(approximating: notional / context.mark(legs.x).doubleValue)
            .rounded(downToLot: context.instrument(legs.x).lotSize)
        guard quantityY.units > 0, quantityX.units > 0 else {
            context.signal(.hold, legs.y, quantity: .zero, note: "pair_size_zero; \(fraction) of equity buys no lot of a leg; " + note)
            return
        }
        let sideY: OrderSide = direction > 0 ? .buy : .sell
        target = (direction > 0 ? quantityY : -quantityY, direction > 0 ? -quantityX : quantityX)
        sentAt = pairBars
        completions = 0
        lastOrders = (nil, nil)
        switch context.submit(.market(legs.y, sideY, quantityY), note: note) {
        case .failure(let rejection):
            target = (.zero, .zero)
            blocked = true
            context.signal(.hold, legs.x, quantity: .zero,
                           note: "pair_entry_failed; the \(symbol(legs.y, context)) leg was refused (\(rejection)): the \(symbol(legs.x, context)) leg is not sent")
            return
        case .success(let id):
            lastOrders.y = id
        }
        switch context.submit(.market(legs.x, sideY.opposite, quantityX), note: note) {
        case .success(let id):
            lastOrders.x = id
        case .failure(let rejection):
            let refused = "pair_leg_rejected; the \(symbol(legs.x, context)) leg was refused (\(rejection))"
            if legFailure == .unwind {
                if let id = lastOrders.y { context.cancel(id) }
                target = (.zero, .zero)
                blocked = true
                context.signal(.hold, legs.y, quantity: .zero, note: refused + ": the \(symbol(legs.y, context)) order is canceled")
            } else {
                context.signal(.hold, legs.x, quantity: .zero, note: refused + ": it is sent again on the next bar")
            }
        }
    }

    /// Closes whatever both legs hold; the pair's target becomes flat.
    private mutating func close(_ legs: (y: InstrumentID, x: InstrumentID), note: String, _ context: StrategyContext) {
        target = (.zero, .zero)
        sentAt = pairBars
        completions = 0
        lastOrders = (nil, nil)
        for leg in [legs.y, legs.x] {
            let held = context.position(leg).quantity
            guard !held.isZero else { continue }
            let id = try? context.submit(.market(leg, held.units > 0 ? .sell : .buy, held.magnitude), note: note).get()
            if leg == legs.y { lastOrders.y = id } else { lastOrders.x = id }
        }
    }

    /// Whether the books hold the target with nothing working, so the signal rules may act; if not,
    /// cancels orders working too long, or completes or unwinds a pair whose legs differ.
    private mutating func legsSettled(_ legs: (y: InstrumentID, x: InstrumentID), _ context: StrategyContext) -> Bool {
        let working = context.openOrders(legs.y) + context.openOrders(legs.x)
        if !working.isEmpty {
            if pairBars - sentAt >= legTimeout {
                for order in working { context.cancel(order.id) }
                context.signal(.hold, working[0].instrument, quantity: .zero,
                               note: "pair_leg_timeout; \(working.count) order(s) still working after \(pairBars - sentAt) bar(s) are canceled")
            }
            return false
        }
        let held = (y: context.position(legs.y).quantity, x: context.position(legs.x).quantity)
        if held.y == target.y && held.x == target.x {
            completions = 0
            return true
        }
        let why = [(legs.y, held.y, target.y, lastOrders.y), (legs.x, held.x, target.x, lastOrders.x)]
            .filter { $0.1 != $0.2 }
            .map { leg, held, target, order in
                // The reason of a rejection only: a cancel's wording differs between venues.
                let status = order.flatMap { context.order($0) }.map {
                    "order \($0.status)" + ($0.status == .rejected ? $0.reason.map { ": \($0)" } ?? "" : "")
                } ?? "no order"
                return "\(symbol(leg, context)) holds \(held) of \(target) (\(status))"
            }.joined(separator: "; ")
        if target.y.isZero && target.x.isZero {
            close(legs, note: "pair_unwind; closing what is still held: " + why, context)
            return false
        }
        if held.y.isZero && held.x.isZero {
            target = (.zero, .zero)
            blocked = true
            context.signal(.hold, legs.y, quantity: .zero, note: "pair_entry_failed; neither leg filled: " + why)
            return false
        }
        if legFailure == .complete && completions < legRetries {
            completions += 1
            sentAt = pairBars
            for (leg, have, want) in [(legs.y, held.y, target.y), (legs.x, held.x, target.x)] where have != want {
                let missing = want - have
                let id = try? context.submit(.market(leg, missing.units > 0 ? .buy : .sell, missing.magnitude),
                                             note: "pair_complete_leg; attempt \(completions) of \(legRetries): " + why).get()
                if leg == legs.y { lastOrders.y = id } else { lastOrders.x = id }
            }
            return false
        }
        blocked = true
        close(legs, note: "pair_unwind; the legs differ: " + why, context)
        return false
    }

    // MARK: - Cointegration

    private mutating func testCointegration() {
        guard cointegrationPValue < 1, model.count >= model.formation,
              (model.count - model.formation) % cointegrationEvery == 0 else { return }
        let recent = model.recent(model.formation)
        if let result = try? EngleGranger.test(y: recent.y, x: recent.x) {
            lastPValue = result.pValue
            cointegrated = result.pValue <= cointegrationPValue
        } else {
            // A degenerate window (a constant leg, perfect collinearity) shows no tradable spread.
            lastPValue = nil
            cointegrated = false
        }
    }

    private func symbol(_ id: InstrumentID, _ context: StrategyContext) -> String { context.instrument(id).symbol }
    private func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

extension PairsTradingStrategy: DeclaredStrategy {
    public static let name = "pairs"
    public static let summary = "pairs trading: spread z-score bands, dollar-neutral legs, static/rolling/Kalman hedge, cointegration exit"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("y", .text(example: "ORCL"), help: "symbol of y (default: the first instrument)"),
        StrategyParameter("x", .text(example: "NVDA"), help: "symbol of x (default: the second instrument)"),
        StrategyParameter("hedge", .choice(PairSpreadModel.Method.allCases.map(\.rawValue)), default: "rolling",
                          help: "hedge ratio: static (fitted on the formation bars), rolling least squares, or kalman"),
        StrategyParameter("formation", .integer(3...100_000), default: "120",
                          help: "bars of the hedge regression (static, rolling), the Kalman warm-up and the cointegration test"),
        StrategyParameter("window", .integer(2...100_000), default: "20", help: "bars of the spread's mean and deviation for the z-score"),
        StrategyParameter("entry", .decimal(0.01...100), default: "2", help: "enter when the z-score is beyond ±entry"),
        StrategyParameter("exit", .decimal(0...100), default: "0.5", help: "close when the z-score is back inside ±exit"),
        StrategyParameter("stop", .decimal(0.01...1_000), default: "4", help: "stop when the z-score runs beyond ±stop against the position"),
        StrategyParameter("log", .boolean, default: "true", help: "use log closes"),
        StrategyParameter("percent", .decimal(0.0001...10), default: "0.5", help: "each leg's notional as a share of equity"),
        StrategyParameter("delta", .decimal(1e-12...0.999999), default: "0.0001", help: "Kalman state drift per bar"),
        StrategyParameter("observation_variance", .decimal(1e-15...1e6), default: "0.001", help: "Kalman noise of y around the line"),
        StrategyParameter("coint_pvalue", .decimal(0.000001...1), default: "1",
                          help: "close and stay out while the Engle-Granger p-value is above this (1: no test)"),
        StrategyParameter("coint_every", .integer(1...100_000), default: "20", help: "bars between cointegration tests"),
        StrategyParameter("leg_failure", .choice(LegFailure.allCases.map(\.rawValue)), default: "unwind",
                          help: "when one leg is refused or unfilled: unwind the other, or complete the missing one"),
        StrategyParameter("leg_retries", .integer(0...100), default: "1", help: "bars on which a missing leg is sent again before unwinding"),
        StrategyParameter("leg_timeout", .integer(1...10_000), default: "1", help: "pair bars a leg's order may work before it is canceled"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        let entry = arguments.decimal("entry") ?? 2, exit = arguments.decimal("exit") ?? 0.5, stop = arguments.decimal("stop") ?? 4
        guard exit < entry, entry < stop else {
            throw ConfigurationError("pairs needs exit < entry < stop, got exit=\(exit) entry=\(entry) stop=\(stop)")
        }
        let method = PairSpreadModel.Method(rawValue: arguments.text("hedge") ?? "rolling") ?? .rolling
        let formation = arguments.integer("formation")
        setup.configuration.allowShort = true
        self.init(ySymbol: arguments.text("y"), xSymbol: arguments.text("x"),
                  model: PairSpreadModel(method: method, formation: formation, window: arguments.integer("window"),
                                         delta: arguments.decimal("delta") ?? 1e-4,
                                         observationVariance: arguments.decimal("observation_variance") ?? 1e-3),
                  entry: entry, exit: exit, stop: stop, usesLogs: arguments.flag("log"), fraction: arguments.decimal("percent") ?? 0.5,
                  cointegrationPValue: arguments.decimal("coint_pvalue") ?? 1, cointegrationEvery: arguments.integer("coint_every"),
                  legFailure: LegFailure(rawValue: arguments.text("leg_failure") ?? "unwind") ?? .unwind,
                  legRetries: arguments.integer("leg_retries"), legTimeout: arguments.integer("leg_timeout"))
    }
}
