import Foundation
import PeregrineCore
import PeregrineModels
import Testing

/// OCC symbols parsed and written back, malformed ones refused; a chain's lookups; and a smile fit
/// that recovers the quadratic smile its quotes were priced from.
@Suite struct OptionChainTests {
    @Test func occSymbolsRoundTrip() throws {
        let apple = try OCCSymbol("AAPL240119C00190000")
        #expect(apple.root == "AAPL" && apple.expiration == CivilDate(year: 2024, month: 1, day: 19) && apple.type == .call)
        #expect(apple.strike == Price(190))
        #expect(apple.description == "AAPL240119C00190000")
        let spy = try OCCSymbol("SPY241220P00450500")
        #expect(spy.strike == Price("450.5")! && spy.type == .put && spy.description == "SPY241220P00450500")
        let made = try OCCSymbol(root: "F", expiration: CivilDate(year: 2025, month: 3, day: 21), type: .put, strike: Price("12.125")!)
        #expect(made.description == "F250321P00012125")
        #expect(try OCCSymbol(made.description) == made)
    }

    @Test func malformedSymbolsAreRefused() {
        for text in ["AAPL240119X00190000", "AAPL241319C00190000", "AAPL240230C00190000", "aapl240119C00190000",
                     "TOOLONG240119C00190000", "AAPL240119C0019000", "AAPL240119C00000000", "240119C00190000", "AAPL24O119C00190000", ""] {
            #expect(throws: OCCSymbol.Failure.self, "\(text)") { try OCCSymbol(text) }
        }
        #expect(throws: OCCSymbol.Failure.self) {
            try OCCSymbol(root: "AAPL", expiration: CivilDate(year: 2024, month: 1, day: 19), type: .call, strike: Price("190.0005")!)
        }
    }

    /// Quotes priced by Black-Scholes-Merton at sigma(k) = 0.22 - 0.15 k + 0.4 k^2 (k = ln(K / F)),
    /// a cent either side of the price (less for the cheapest): the fit gives back the three coefficients.
    @Test func smileFitRecoversTheQuadraticItWasPricedFrom() throws {
        let asOf = CivilDate(year: 2025, month: 1, day: 15)
        let expirations = [CivilDate(year: 2025, month: 2, day: 21), CivilDate(year: 2025, month: 4, day: 17)]
        let spot = 100.0, rate = 0.03, dividend = 0.01
        var quotes: [OptionChain.Quote] = []
        for expiration in expirations {
            let expiry = OptionChain.years(from: asOf, to: expiration)
            let forward = spot * exp((rate - dividend) * expiry)
            for strike in stride(from: 80, through: 120, by: 5) {
                for type in OptionType.allCases {
                    let k = log(Double(strike) / forward)
                    let inputs = OptionInputs(spot: spot, strike: Double(strike), volatility: 0.22 - 0.15 * k + 0.4 * k * k, rate: rate,
                                              dividend: dividend, expiry: expiry)
                    let price = Price(approximating: BlackScholesMerton.value(type, inputs).price)
                    let cent = min(Price(units: Price.scale / 100), price)
                    let symbol = try OCCSymbol(root: "XYZ", expiration: expiration, type: type, strike: Price(strike))
                    quotes.append(OptionChain.Quote(symbol: symbol, bid: price - cent, ask: price + cent))
                }
            }
        }
        // A call quoted above the spot has no implied volatility: skipped, with the reason.
        let bad = try OCCSymbol(root: "XYZ", expiration: expirations[0], type: .call, strike: Price(150))
        quotes.append(OptionChain.Quote(symbol: bad, bid: Price(120), ask: Price(121)))
        let chain = try OptionChain(underlying: "XYZ", quotes: quotes.shuffled())
        #expect(chain.expirations == expirations)
        #expect(chain.strikes(expiring: expirations[0]).count == 10 && chain.strikes(expiring: expirations[1]).count == 9)
        #expect(chain.quote(expiring: expirations[1], strike: Price(105), type: .put)?.symbol.description == "XYZ250417P00105000")
        let fitted = chain.smiles(spot: spot, rate: rate, dividend: dividend, asOf: asOf)
        #expect(fitted.smiles.count == 2)
        #expect(fitted.skipped.map(\.symbol) == [bad], "\(fitted.skipped)")
        #expect(fitted.skipped.first?.reason.contains("outside the no-arbitrage bounds") == true)
        for expiration in expirations {
            let smile = try #require(fitted.smiles[expiration])
            #expect(abs(smile.level - 0.22) < 1e-6 && abs(smile.slope + 0.15) < 1e-5 && abs(smile.curvature - 0.4) < 1e-4, "\(smile)")
            #expect(smile.rootMeanSquareError < 1e-6)
            #expect(abs(smile.volatility(strike: smile.forward) - smile.level) < 1e-15)
        }
    }

    @Test func chainsRefuseDuplicatesAndOtherUnderlyings() throws {
        let symbol = try OCCSymbol("XYZ250221C00100000")
        let quote = OptionChain.Quote(symbol: symbol, bid: Price(1), ask: Price(2))
        #expect(throws: OCCSymbol.Failure.self) { try OptionChain(underlying: "XYZ", quotes: [quote, quote]) }
        #expect(throws: OCCSymbol.Failure.self) { try OptionChain(underlying: "ABC", quotes: [quote]) }
        #expect(throws: VolatilitySmile.Failure.self) {
            try VolatilitySmile(points: [.init(strike: 100, volatility: 0.2), .init(strike: 100, volatility: 0.21),
                                         .init(strike: 100, volatility: 0.2), .init(strike: 100, volatility: 0.2)], forward: 100)
        }
    }
}
