import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineRisk
import PeregrineStrategies
import Testing

/// The backtest carrying option contracts: `covered-call` and `iron-condor` on hand-made daily
/// bars, premiums recomputed here from the bars by hand, settlement at expiry into shares.
@Suite struct OptionStrategyBacktestTests {
    /// Weekday daily bars from Monday 2024-01-01 at midnight UTC, opening at the previous close.
    static func series(_ closes: [Double], symbol: String = "SYN") -> BarSeries {
        var bars: [Bar] = []
        var day = CivilDate(year: 2024, month: 1, day: 1).daysSinceEpoch
        var previous = closes[0]
        for close in closes {
            while [0, 6].contains(CivilDate(daysSinceEpoch: day).weekday) { day += 1 }
            let o = Price(approximating: previous), c = Price(approximating: close)
            bars.append(Bar(timestamp: Timestamp(nanoseconds: day * Timestamp.nanosPerDay), open: o, high: max(o, c) + Price("0.5")!,
                            low: min(o, c) - Price("0.5")!, close: c, volume: Quantity(100_000)))
            previous = close
            day += 1
        }
        return BarSeries(instrument: .usEquity(symbol), bars: bars)
    }

    /// 100 with a small zigzag for two weeks, then a climb to 116.
    static let rising: [Double] = (0..<10).map { 100 + ($0 % 2 == 0 ? 0.6 : -0.6) } + (1...20).map { 100 + 0.8 * Double($0) }

    /// Black-Scholes at zero rate by hand: the price (rounded to the cent, at least a cent) and the
    /// delta, with years to 16:00 New York (21:00 UTC in winter) on the expiry from `day` 00:00 UTC.
    static func model(_ contract: OCCSymbol, spot: Double, volatility: Double, on day: CivilDate) -> (price: Price, delta: Double) {
        let years = Double((contract.expiration.daysSinceEpoch - day.daysSinceEpoch) * 24 + 21) / (365 * 24)
        let k = contract.strike.doubleValue, s = volatility * years.squareRoot()
        let d1 = (log(spot / k) + 0.5 * s * s) / s, d2 = d1 - s
        func n(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
        let call = spot * n(d1) - k * n(d2)
        let value = contract.type == .call ? call : call - spot + k
        return (Price(approximating: max((value * 100).rounded(), 1) / 100), contract.type == .call ? n(d1) : n(d1) - 1)
    }

    /// Sample standard deviation of the closes' log returns times sqrt(252).
    static func volatility(_ closes: ArraySlice<Double>) -> Double {
        let returns = zip(closes.dropFirst(), closes).map { log($0 / $1) }
        let mean = returns.reduce(0, +) / Double(returns.count)
        return (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count - 1) * 252).squareRoot()
    }

    static func day(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: 2024, month: month, day: day) }

    /// Held to expiry (roll_days 0): 900 shares bought, nine calls sold at the strike nearest delta
    /// 0.3 for the Friday nearest 10 days out, at the price worked out here; the second call ends in
    /// the money and is assigned: the shares go at its strike on the next bar, and are bought again.
    @Test func coveredCallIsAssignedAtTheStrike() throws {
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(100_000)
        let result = try StrategyRegistry.shared.backtest(strategy: "covered-call", parameters: StrategyParameters(["days": "10", "roll_days": "0"]),
                                                          series: [Self.series(Self.rising)], configuration: configuration)
        let options = try #require(result.options)
        // Jan 2's close 99.4, one return so far: the 30% fallback volatility. The Friday nearest Jan 12.
        let listed = (80...119).map { try! OCCSymbol(root: "SYN", expiration: Self.day(1, 12), type: .call, strike: Price(approximating: Double($0))) }
        let nearest = listed.min { abs(Self.model($0, spot: 99.4, volatility: 0.3, on: Self.day(1, 2)).delta - 0.3)
            < abs(Self.model($1, spot: 99.4, volatility: 0.3, on: Self.day(1, 2)).delta - 0.3) }!
        let first = options.orders[0]
        #expect(first.legs.map(\.contract) == [nearest] && first.legs[0].side == .sell && first.quantity == 9)
        // Filled on Jan 3's open (99.4), still on the fallback volatility (two closes).
        #expect(first.fillPrice == Self.model(nearest, spot: 99.4, volatility: 0.3, on: Self.day(1, 3)).price)
        let bought = try #require(result.fills.first)
        #expect(bought.side == .buy && bought.quantity == Quantity(900) && bought.price == Price(approximating: 100.6))
        // The assigned call: 900 shares sold at its strike on the first bar after its expiration.
        let assigned = try #require(options.activities.first { $0.kind == .assignment })
        let contract = try OCCSymbol(assigned.symbol)
        #expect(assigned.quantity == Quantity(9))
        let sale = try #require(result.fills.first { $0.side == .sell })
        #expect(sale.price == contract.strike && sale.quantity == Quantity(900))
        #expect(CivilDate(daysSinceEpoch: sale.timestamp.nanoseconds / Timestamp.nanosPerDay) > contract.expiration)
        #expect(options.activities.contains { $0.kind == .trade && $0.quantity == Quantity(-900) && $0.price == contract.strike })
        // The books: equity at the end is cash, premiums, shares and the open call at the model's mark.
        let last = Self.rising.count - 1
        let open = options.positions.map { contract, position in
            Self.model(contract, spot: Self.rising[last], volatility: Self.volatility(Self.rising[...last]), on: Self.day(2, 9)).price * position.quantity
        }.reduce(Money.zero, +)
        let shares = result.account.position(InstrumentID(0)).quantity
        #expect(result.equity.last?.equity == result.account.cash + options.cash + Price(approximating: Self.rising[last]) * shares + open)
    }

    /// Around 100: one condor sold for a credit at the 30% fallback volatility, every leg out of the
    /// money at expiry; the run ends on the bar that settles it, so equity is the cash plus the credit.
    @Test func ironCondorExpiresWorthlessKeepingTheCredit() throws {
        let closes = (0..<11).map { 100 + ($0 % 2 == 0 ? 0.6 : -0.6) }  // Jan 1 to Jan 15
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(100_000)
        let result = try StrategyRegistry.shared.backtest(strategy: "iron-condor", parameters: StrategyParameters(["days": "10", "contracts": "3"]),
                                                          series: [Self.series(closes)], configuration: configuration)
        let options = try #require(result.options)
        let condor = options.orders[0]
        let strikes = condor.legs.map(\.contract.strike)
        #expect(condor.legs.map(\.contract.type) == [.put, .put, .call, .call] && condor.legs.map(\.side) == [.buy, .sell, .sell, .buy])
        #expect(strikes == strikes.sorted() && strikes[1] - strikes[0] == Price("5") && strikes[3] - strikes[2] == Price("5"))
        #expect(condor.legs.allSatisfy { $0.contract.expiration == Self.day(1, 12) } && condor.quantity == 3)
        // Strikes 2.50 apart above 100: the wings two steps, 5, out. Filled on Jan 2's open, 100.6: the net of the four legs by hand, a credit.
        let net = condor.legs.reduce(Price.zero) { total, leg in
            let price = Self.model(leg.contract, spot: 100.6, volatility: 0.3, on: Self.day(1, 2)).price
            return leg.side == .buy ? total + price : total - price
        }
        #expect(condor.fillPrice == net && net < .zero)
        #expect(options.activities.map(\.kind) == Array(repeating: .expiry, count: 4))
        #expect(options.positions.isEmpty && result.fills.isEmpty)
        #expect(result.equity.last?.equity == Money(100_000) - net * Quantity(300))
    }

    /// `optionRate` 5%: the condor's puts fill at Barone-Adesi-Whaley's American price and its calls
    /// at Black-Scholes at 5%, each worked out here from `PeregrineModels` with the years by hand;
    /// the short legs' prices differ from the zero-rate ones.
    @Test func ironCondorAtAPositiveRatePricesItsPutsAmerican() throws {
        let closes = (0..<11).map { 100 + ($0 % 2 == 0 ? 0.6 : -0.6) }
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(100_000)
        configuration.optionRate = 0.05
        let result = try StrategyRegistry.shared.backtest(strategy: "iron-condor", parameters: StrategyParameters(["days": "10"]),
                                                          series: [Self.series(closes)], configuration: configuration)
        let condor = try #require(result.options?.orders.first)
        // Filled on Jan 2's open, 100.6, on the 30% fallback volatility; 16:00 New York is 21:00 UTC.
        func price(_ contract: OCCSymbol) -> Price {
            let years = Double((contract.expiration.daysSinceEpoch - Self.day(1, 2).daysSinceEpoch) * 24 + 21) / (365 * 24)
            let inputs = OptionInputs(spot: 100.6, strike: contract.strike.doubleValue, volatility: 0.3, rate: 0.05, expiry: years)
            let value = contract.type == .put ? BaroneAdesiWhaley.price(.put, inputs) : BlackScholesMerton.value(.call, inputs).price
            return Price(approximating: max((value * 100).rounded(), 1) / 100)
        }
        #expect(condor.legs.map { $0.fillPrice } == condor.legs.map { price($0.contract) })
        let net = condor.legs.reduce(Price.zero) { $1.side == .buy ? $0 + price($1.contract) : $0 - price($1.contract) }
        #expect(condor.fillPrice == net)
        // At zero rate both short legs would have traded at other prices (the wings, three cents
        // either way, and the net, by chance, the same).
        for leg in condor.legs where leg.side == .sell {
            #expect(leg.fillPrice != Self.model(leg.contract, spot: 100.6, volatility: 0.3, on: Self.day(1, 2)).price)
        }
        // The early-exercise premium: each put above its European price at 5%.
        for leg in condor.legs where leg.contract.type == .put {
            let years = Double((leg.contract.expiration.daysSinceEpoch - Self.day(1, 2).daysSinceEpoch) * 24 + 21) / (365 * 24)
            let inputs = OptionInputs(spot: 100.6, strike: leg.contract.strike.doubleValue, volatility: 0.3, rate: 0.05, expiry: years)
            #expect(BaroneAdesiWhaley.price(.put, inputs) > BlackScholesMerton.value(.put, inputs).price)
        }
    }

    /// The risk layer sees option orders: a vega limit of 0.0001% of equity refuses the condor (its
    /// vega is about -0.3 a point per condor here), logged as a decision; a delta limit of 50% lets
    /// the nearly delta-neutral condor through.
    @Test func riskLimitsSeeOptionOrders() throws {
        let closes = (0..<11).map { 100 + ($0 % 2 == 0 ? 0.6 : -0.6) }
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(100_000)
        var limits = RiskLimits.none
        limits.maxPortfolioVega = 0.000001
        configuration.risk = limits
        let parameters = StrategyParameters(["days": "10", "contracts": "3"])
        let refused = try StrategyRegistry.shared.backtest(strategy: "iron-condor", parameters: parameters, series: [Self.series(closes)],
                                                           configuration: configuration)
        #expect(refused.options?.orders.isEmpty ?? true)
        #expect((refused.decisionCounts["rejected:portfolio_vega"] ?? 0) == closes.count)
        limits.maxPortfolioVega = nil
        limits.maxPortfolioDelta = 0.5
        configuration.risk = limits
        let allowed = try StrategyRegistry.shared.backtest(strategy: "iron-condor", parameters: parameters, series: [Self.series(closes)],
                                                           configuration: configuration)
        #expect(allowed.options?.orders.first?.status == .filled)
    }
}
