import PeregrineCore
import PeregrineRisk
import Testing

/// Each check, triggered and held just under, on a risk engine with only that check on.
@Suite struct RiskCheckTests {
    let t0 = Timestamp(seconds: 1_700_000_000)

    /// t0 plus whole seconds (`Timestamp + Int64` adds nanoseconds).
    func at(_ seconds: Int64) -> Timestamp { Timestamp(seconds: t0.seconds + seconds) }

    func engine(_ configure: (inout RiskLimits) -> Void) -> RiskEngine {
        var limits = RiskLimits.none
        configure(&limits)
        #expect(limits.validate().isEmpty)
        let risk = RiskEngine(limits: limits, symbols: ["A", "B", "C"])
        for i in 0..<3 { risk.onBar(instrument: i, close: Price(100)) }
        return risk
    }

    func buy(_ qty: Int, _ i: Int = 0, limit: String? = nil, stopLoss: String? = nil) -> OrderRequest {
        OrderRequest(instrument: InstrumentID(i), side: .buy, quantity: Quantity(qty), type: limit == nil ? .market : .limit,
                     timeInForce: .gtc, limitPrice: limit.map { Price($0)! }, orderClass: stopLoss == nil ? .simple : .bracket,
                     takeProfit: stopLoss == nil ? nil : Price(200), stopLoss: stopLoss.map { Price($0)! })
    }

    func code(_ risk: RiskEngine, _ request: OrderRequest, position: Int = 0, equity: Double = 100_000, at time: Timestamp? = nil)
        -> Rejection.Code?
    {
        risk.check(request, instrument: request.instrument.index, position: Quantity(position),
                   price: request.limitPrice ?? Price(100), equity: equity, at: time ?? t0)?.code
    }

    /// 100 returns of A: ten of −5%, ninety of +1% (in a seeded order). Its 95% historical VaR is a 5%
    /// loss, so a position worth w of equity carries 5%·w: with a 2% limit, 40% of equity is the most.
    /// An engine with only a 2% VaR limit over 100 bars, by `method`, after A's 100 returns (ten of
    /// −5%, ninety of +1%, in a seeded order); and A's last close.
    func valueAtRiskEngine(_ method: ValueAtRiskMethod) -> (RiskEngine, Price) {
        let risk = engine {
            var v = RiskLimits.ValueAtRiskLimit()
            v.maxFraction = 0.02
            v.window = 100
            v.method = method
            $0.valueAtRisk = v
        }
        var generator = SeededGenerator(seed: 3)
        var losses = Set<Int>()
        while losses.count < 10 { losses.insert(Int(generator.nextUniform() * 100)) }
        var close = 100.0
        for k in 0..<100 {
            close *= losses.contains(k) ? 0.95 : 1.01
            risk.onBar(instrument: 0, close: Price(approximating: close))
        }
        return (risk, Price(approximating: close))
    }

    @Test func valueAtRiskLimit() {
        let (risk, price) = valueAtRiskEngine(.historical)
        func buyWorth(_ fraction: Double) -> OrderRequest {
            OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(approximating: fraction * 100_000 / price.doubleValue).rounded(downToLot: Quantity(1)))
        }
        func codeAt(_ request: OrderRequest, position: Quantity = .zero) -> Rejection.Code? {
            risk.check(request, instrument: 0, position: position, price: price, equity: 100_000, at: t0)?.code
        }
        #expect(codeAt(buyWorth(0.39)) == nil)
        #expect(codeAt(buyWorth(0.41)) == .valueAtRisk)
        // Adding to a position counts the whole of it; selling it down always passes.
        #expect(codeAt(buyWorth(0.05), position: buyWorth(0.38).quantity) == .valueAtRisk)
        #expect(codeAt(OrderRequest.market(InstrumentID(0), .sell, Quantity(10)), position: buyWorth(0.6).quantity) == nil)
        // With fewer than 20 returns there is nothing to judge by.
        let young = engine { $0.valueAtRisk = RiskLimits.ValueAtRiskLimit() }
        #expect(young.check(buyWorth(0.9), instrument: 0, position: .zero, price: price, equity: 100_000, at: t0) == nil)
    }

    /// The same returns by the other methods. Mean 0.004, deviation √(0.0324 / 99) = 0.018091 (ten
    /// deviations of −0.054, ninety of 0.006): the normal 95% VaR is 0.004 − 1.644854 × 0.018091, a
    /// 2.576% loss, so with a 2% limit the position may reach 0.02 / 0.02576 = 77.6% of equity, where
    /// the historical 5% loss stopped it at 40%. Monte Carlo's 10,000 seeded draws land near the normal figure.
    @Test(arguments: [(ValueAtRiskMethod.parametric, 0.76, 0.79), (.monteCarlo(paths: 10_000, seed: 1), 0.74, 0.82)])
    func valueAtRiskMethods(method: ValueAtRiskMethod, passes: Double, refused: Double) {
        let (risk, price) = valueAtRiskEngine(method)
        func check(_ fraction: Double) -> Rejection? {
            let request = OrderRequest(instrument: InstrumentID(0), side: .buy,
                                       quantity: Quantity(approximating: fraction * 100_000 / price.doubleValue).rounded(downToLot: Quantity(1)))
            return risk.check(request, instrument: 0, position: .zero, price: price, equity: 100_000, at: t0)
        }
        #expect(check(0.41) == nil)
        #expect(check(passes) == nil)
        let refusal = check(refused)
        #expect(refusal?.code == .valueAtRisk)
        #expect(refusal?.detail.contains("95.0% \(method.label) VaR") == true, "\(refusal?.detail ?? "")")
    }

    @Test func maxPositionSize() {
        let risk = engine { $0.maxPositionFraction = 0.15 }
        #expect(code(risk, buy(150)) == nil)  // 15,000 of 100,000: at the limit
        #expect(code(risk, buy(151)) == .maxPositionSize)
        #expect(code(risk, buy(1), position: 150) == .maxPositionSize)  // adding past it
        #expect(code(risk, OrderRequest.market(InstrumentID(0), .sell, Quantity(100)), position: 300) == nil)  // exits pass
    }

    @Test func maxOpenPositions() {
        let risk = engine { $0.maxOpenPositions = 2 }
        risk.onPositionChange(instrument: 0, from: .zero, to: Quantity(1), at: t0, viaStop: false, closedTripPnL: nil)
        #expect(code(risk, buy(1, 1)) == nil)
        risk.onPositionChange(instrument: 1, from: .zero, to: Quantity(1), at: t0, viaStop: false, closedTripPnL: nil)
        #expect(code(risk, buy(1, 2)) == .maxOpenPositions)
        #expect(code(risk, buy(1, 0), position: 1) == nil)  // adding to an open one is not a new position
    }

    @Test func grossAndNetExposure() {
        let gross = engine { $0.maxGrossExposure = 0.8 }
        gross.onPositionChange(instrument: 0, from: .zero, to: Quantity(500), at: t0, viaStop: false, closedTripPnL: nil)
        #expect(code(gross, buy(300, 1)) == nil)   // 50,000 + 30,000 = 80%
        #expect(code(gross, buy(301, 1)) == .grossExposure)
        let net = engine { $0.maxNetExposure = 0.5 }
        net.onPositionChange(instrument: 0, from: .zero, to: Quantity(-300), at: t0, viaStop: false, closedTripPnL: nil)
        #expect(code(net, buy(800, 1)) == nil)     // -30,000 + 80,000 = 50%
        #expect(code(net, buy(801, 1)) == .netExposure)
    }

    @Test func portfolioHeatUsesStopsOrTheAssumedDistance() {
        let risk = engine { $0.maxPortfolioHeat = 0.06; $0.assumedStopDistance = 0.05 }
        // 400 shares with a stop 10 below: 4,000 at risk.
        risk.onPositionChange(instrument: 0, from: .zero, to: Quantity(400), at: t0, viaStop: false, closedTripPnL: nil)
        risk.registerStop(instrument: 0, price: Price(90))
        // New: 200 at 100 stopped at 90 = 2,000 -> 6,000 = 6%.
        #expect(code(risk, buy(200, 1, stopLoss: "90")) == nil)
        #expect(code(risk, buy(201, 1, stopLoss: "90")) == .portfolioHeat)
        // Without a stop the assumed 5%: 400 x 100 x 5% = 2,000.
        #expect(code(risk, buy(400, 2)) == nil)
        #expect(code(risk, buy(401, 2)) == .portfolioHeat)
    }

    @Test func dailyLossLimitHaltsEntriesUntilTheNextSession() {
        let risk = engine { $0.dailyLossLimit = 0.03 }
        #expect(risk.onEquity(100_000, sessionDay: 10, at: t0) == .none)
        _ = risk.onEquity(97_001, sessionDay: 10, at: at(60))
        #expect(code(risk, buy(1)) == nil)  // down 2.999%
        _ = risk.onEquity(97_000, sessionDay: 10, at: at(120))
        #expect(risk.state.account.state == .reducingOnly)
        #expect(code(risk, buy(1)) == .dailyLossLimit)
        #expect(code(risk, OrderRequest.market(InstrumentID(0), .sell, Quantity(1)), position: 5) == nil)  // exits allowed
        _ = risk.onEquity(97_000, sessionDay: 11, at: at(86_400))
        #expect(risk.state.account.state == .active)
        #expect(code(risk, buy(1)) == nil)
        #expect(risk.state.account.transitions.map(\.to) == [.reducingOnly, .active])
    }

    @Test func drawdownKillSwitchFlattensHaltsAndSurvivesARestart() throws {
        let risk = engine { $0.maxDrawdown = 0.2 }
        _ = risk.onEquity(100_000, sessionDay: 1, at: t0)
        _ = risk.onEquity(120_000, sessionDay: 2, at: at(86_400))
        #expect(risk.onEquity(96_001, sessionDay: 3, at: at(2 * 86_400)) == .none)  // 19.999% from 120,000
        guard case .flattenAll = risk.onEquity(96_000, sessionDay: 3, at: at(2 * 86_400 + 60)) else {
            Issue.record("kill switch did not fire")
            return
        }
        #expect(code(risk, buy(1)) == .killSwitch)
        // A new session does not lift it; a restart from the saved state keeps it.
        _ = risk.onEquity(96_000, sessionDay: 4, at: at(3 * 86_400))
        #expect(risk.state.killSwitchEngaged)
        let path = NSTemporaryDirectory() + "risk-state-\(UUID().uuidString).json"
        try risk.state.save(to: path)
        let restarted = RiskEngine(limits: risk.limits, symbols: ["A", "B", "C"], state: try RiskState.load(from: path))
        restarted.onBar(instrument: 0, close: Price(100))
        #expect(code(restarted, buy(1)) == .killSwitch)
        restarted.resume(at: at(4 * 86_400), by: "ops")
        #expect(code(restarted, buy(1)) == nil)
        #expect(restarted.state.account.transitions.last?.reason == "resumed by ops")
    }

    @Test func correlatedExposure() {
        let risk = engine { $0.correlation = { var c = RiskLimits.CorrelationLimit(); c.window = 10; c.maxCombinedWeight = 0.3; return c }() }
        // A and B move together, C against.
        var a = 100.0, c = 100.0
        for k in 0..<12 {
            let step = k % 2 == 0 ? 1.01 : 0.995
            a *= step
            c /= step
            risk.onBar(instrument: 0, close: Price(approximating: a))
            risk.onBar(instrument: 1, close: Price(approximating: a * 2))
            risk.onBar(instrument: 2, close: Price(approximating: c))
        }
        risk.onPositionChange(instrument: 0, from: .zero, to: Quantity(200), at: t0, viaStop: false, closedTripPnL: nil)
        let aValue = 200 * a
        let room = Int((30_000 - aValue) / 100)  // B priced at the check's 100
        #expect(code(risk, buy(room, 1)) == nil)
        #expect(code(risk, buy(room + 1, 1)) == .correlatedExposure)
        #expect(code(risk, buy(room + 100, 2)) == nil)  // C is not correlated
    }

    @Test func contradictoryPositionsInOneUnderlying() {
        var limits = RiskLimits.none
        limits.refuseContradictoryPositions = true
        limits.underlyingGroups = [["A", "B"]]
        let risk = RiskEngine(limits: limits, symbols: ["A", "B", "C"])
        risk.onPositionChange(instrument: 0, from: .zero, to: Quantity(10), at: t0, viaStop: false, closedTripPnL: nil)
        #expect(code(risk, OrderRequest.market(InstrumentID(1), .sell, Quantity(1))) == .contradictoryPosition)
        #expect(code(risk, buy(1, 1)) == nil)  // same side is fine
        #expect(code(risk, OrderRequest.market(InstrumentID(2), .sell, Quantity(1))) == nil)  // other underlying
    }

    @Test func reentryCooldownByTimeAndByBars() {
        let risk = engine { $0.reentryCooldown = .seconds(1800) }
        risk.onPositionChange(instrument: 0, from: Quantity(5), to: .zero, at: t0, viaStop: false, closedTripPnL: 1)
        #expect(code(risk, buy(1), at: at(1799)) == .reentryCooldown)
        #expect(code(risk, buy(1), at: at(1800)) == nil)
        let bars = engine { $0.reentryCooldown = .bars(3) }
        bars.onPositionChange(instrument: 0, from: Quantity(5), to: .zero, at: t0, viaStop: false, closedTripPnL: 1)
        bars.onBar(instrument: 0, close: Price(100))
        bars.onBar(instrument: 0, close: Price(100))
        #expect(code(bars, buy(1)) == .reentryCooldown)
        bars.onBar(instrument: 0, close: Price(100))
        #expect(code(bars, buy(1)) == nil)
    }

    @Test func stoplossGuardPausesAfterRepeatedStopOuts() {
        let risk = engine { var g = RiskLimits.StoplossGuard(); g.stopOuts = 3; g.windowSeconds = 3600; g.pauseSeconds = 7200; $0.stoplossGuard = g }
        for k in 0..<2 {
            risk.onPositionChange(instrument: 0, from: Quantity(1), to: .zero, at: at(Int64(k * 60)), viaStop: true, closedTripPnL: -1)
        }
        #expect(code(risk, buy(1), at: at(200)) == nil)  // two stop-outs: under
        risk.onPositionChange(instrument: 0, from: Quantity(1), to: .zero, at: at(300), viaStop: true, closedTripPnL: -1)
        #expect(code(risk, buy(1), at: at(301)) == .stoplossGuard)
        #expect(code(risk, buy(1), at: at(300 + 7200)) == nil)
        #expect(code(risk, buy(1, 1), at: at(301)) == nil)  // other symbols unaffected
    }

    @Test func losingStreakCutsSizeUntilAWinner() {
        let risk = engine { var s = RiskLimits.LosingStreak(); s.after = 3; s.multiplier = 0.5; $0.losingStreak = s }
        for _ in 0..<2 { risk.onPositionChange(instrument: 0, from: Quantity(1), to: .zero, at: t0, viaStop: false, closedTripPnL: -5) }
        #expect(risk.sizeMultiplier == 1)
        risk.onPositionChange(instrument: 0, from: Quantity(1), to: .zero, at: t0, viaStop: false, closedTripPnL: -5)
        #expect(risk.sizeMultiplier == 0.5)
        risk.onPositionChange(instrument: 0, from: Quantity(1), to: .zero, at: t0, viaStop: false, closedTripPnL: 5)
        #expect(risk.sizeMultiplier == 1)
    }

    /// The strategy's breaker: reducing-only after 3 losing trips in a row (not after 2), lifted at the
    /// next session; halted after 5, which a new session does not lift but a person does.
    @Test func strategyBreakerTripsOnLosingStreaks() {
        let risk = engine { var b = RiskLimits.StrategyBreaker(); b.reduceAfterLosses = 3; b.haltAfterLosses = 5; $0.strategyBreaker = b }
        func lose() { risk.onPositionChange(instrument: 0, from: Quantity(1), to: .zero, at: t0, viaStop: false, closedTripPnL: -5) }
        _ = risk.onEquity(100_000, sessionDay: 1, at: t0)
        lose(); lose()
        #expect(code(risk, buy(1)) == nil && risk.strategyBreaker.state == .active)
        lose()
        #expect(risk.strategyBreaker.state == .reducingOnly && code(risk, buy(1)) == .circuitBreaker)
        #expect(code(risk, OrderRequest.market(InstrumentID(0), .sell, Quantity(1)), position: 1) == nil)  // exits pass
        _ = risk.onEquity(100_000, sessionDay: 2, at: at(86_400))
        #expect(risk.strategyBreaker.state == .active && code(risk, buy(1)) == nil)
        lose()
        #expect(risk.strategyBreaker.state == .reducingOnly)
        lose()
        #expect(risk.strategyBreaker.state == .halted && code(risk, buy(1)) == .circuitBreaker)
        _ = risk.onEquity(100_000, sessionDay: 3, at: at(2 * 86_400))
        #expect(risk.strategyBreaker.state == .halted)
        risk.resume(at: at(2 * 86_400 + 60), by: "test")
        #expect(risk.strategyBreaker.state == .active && code(risk, buy(1)) == nil)
        #expect(risk.strategyBreaker.transitions.map(\.to) == [.reducingOnly, .active, .reducingOnly, .halted, .active])
        // A winner resets the count: two more losses stay under the limit.
        risk.onPositionChange(instrument: 0, from: Quantity(1), to: .zero, at: t0, viaStop: false, closedTripPnL: 5)
        lose(); lose()
        #expect(risk.strategyBreaker.state == .active)
    }

    @Test func orderSanity() {
        let band = engine { $0.priceBand = 0.1 }
        #expect(code(band, buy(1, limit: "110")) == nil)
        #expect(code(band, buy(1, limit: "110.01")) == .priceBand)
        let notional = engine { $0.minOrderNotional = Money(1_000); $0.maxOrderNotional = Money(5_000) }
        #expect(code(notional, buy(10)) == nil && code(notional, buy(50)) == nil)
        #expect(code(notional, buy(9)) == .orderNotional && code(notional, buy(51)) == .orderNotional)
        let rate = engine { $0.maxOrdersPerMinute = 3 }
        for k in 0..<3 {
            #expect(code(rate, buy(1), at: at(Int64(k))) == nil)
            rate.recordSubmission(at: at(Int64(k)))
        }
        #expect(code(rate, buy(1), at: at(59)) == .rateLimit)
        #expect(code(rate, buy(1), at: at(60)) == nil)
    }

    @Test func validationNamesTheProblem() {
        var limits = RiskLimits()
        limits.maxPositionFraction = 0
        limits.dailyLossLimit = 2
        let problems = limits.validate()
        #expect(problems.count == 2)
        #expect(problems[0].contains("max_position") && problems[1].contains("daily_loss_limit"))
    }
}

import Foundation
