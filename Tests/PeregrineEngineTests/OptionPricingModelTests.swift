import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineTestSupport
import Testing

/// The exchange's and the backtest's option prices are American: against QuantLib's engines in
/// Tests/Fixtures/options_quantlib.json (made by scripts/fixtures/make_option_fixtures.py), a put at a
/// positive rate is Barone-Adesi-Whaley's American price, above the European one; at a zero rate,
/// where an American put is never worth exercising early, and for calls without dividends, it is
/// Black-Scholes.
@Suite struct OptionPricingModelTests {
    nonisolated(unsafe) static let fixture: [String: Any] = {
        guard let data = FileManager.default.contents(atPath: TestPaths.fixture("options_quantlib.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }()

    /// A contract on `strike` expiring on 2024-06-21 and the instant exactly `days` calendar days
    /// before its 16:00 New York expiry, so the model's years to expiry are days / 365.
    static func contract(_ type: OptionType, strike: Double, days: Int) throws -> (OCCSymbol, Timestamp) {
        let contract = try OCCSymbol(root: "SYN", expiration: CivilDate(year: 2024, month: 6, day: 21), type: type, strike: Price(approximating: strike))
        let expiry = OptionPricingModel.expiry(of: contract.expiration).nanoseconds
        return (contract, Timestamp(nanoseconds: expiry - Int64(days) * Timestamp.nanosPerDay))
    }

    static func rows(_ name: String, where keep: ([String: Any]) -> Bool) -> [[String: Any]] {
        ((fixture[name] as? [[String: Any]]) ?? []).filter { row in
            // Expiries in whole days, as a listed contract's are.
            let days = (row["expiry"] as? Double ?? 0) * 365
            return abs(days - days.rounded()) < 1e-9 && keep(row)
        }
    }

    static func value(_ row: [String: Any], key: String) -> Double { row[key] as? Double ?? .nan }

    @Test func aPutAtAPositiveRateIsQuantLibsBaroneAdesiWhaleyPrice() throws {
        let rows = Self.rows("barone_adesi_whaley") { $0["type"] as? String == "put" && Self.value($0, key: "dividend") == 0 && Self.value($0, key: "rate") > 0 }
        #expect(rows.count == 45)
        for row in rows {
            let days = Int((Self.value(row, key: "expiry") * 365).rounded())
            let (contract, now) = try Self.contract(.put, strike: Self.value(row, key: "strike"), days: days)
            let model = OptionPricingModel(rate: Self.value(row, key: "rate"))
            let spot = Price(approximating: Self.value(row, key: "spot")), volatility = Self.value(row, key: "vol")
            let ours = model.value(contract, spot: spot, volatility: volatility, at: now)
            let inputs = OptionInputs(spot: spot.doubleValue, strike: contract.strike.doubleValue, volatility: volatility,
                                      rate: model.rate, expiry: Double(days) / 365)
            // The same number as the approximation itself, QuantLib's within its engine's 1e-6 stopping rule.
            #expect(ours == BaroneAdesiWhaley.price(.put, inputs))
            let reference = Self.value(row, key: "price")
            #expect(abs(ours - reference) <= 2e-5 * max(1, reference), "\(row): \(ours)")
            #expect(ours >= BlackScholesMerton.value(.put, inputs).price - 1e-12)
            // The traded price is that value in cents, and its Greeks are the approximation's.
            #expect(model.price(contract, spot: spot, volatility: volatility, at: now) == Price(approximating: max((ours * 100).rounded(), 1) / 100))
            #expect(model.valuation(contract, spot: spot, volatility: volatility, at: now) == BaroneAdesiWhaley.value(.put, inputs))
        }
    }

    @Test func atAZeroRateAndForCallsThePriceIsQuantLibsEuropeanOne() throws {
        let rows = Self.rows("european") { Self.value($0, key: "dividend") == 0 && ($0["type"] as? String == "call" || Self.value($0, key: "rate") <= 0) }
        #expect(rows.count > 50)
        for row in rows {
            let type: OptionType = row["type"] as? String == "call" ? .call : .put
            let days = Int((Self.value(row, key: "expiry") * 365).rounded())
            let (contract, now) = try Self.contract(type, strike: Self.value(row, key: "strike"), days: days)
            let model = OptionPricingModel(rate: Self.value(row, key: "rate"))
            let ours = model.valuation(contract, spot: Price(approximating: Self.value(row, key: "spot")), volatility: Self.value(row, key: "vol"), at: now)
            #expect(abs(ours.price - Self.value(row, key: "price")) <= 1e-8 * max(1, Self.value(row, key: "price")), "\(row)")
            #expect(abs(ours.delta - Self.value(row, key: "delta")) <= 1e-8, "\(row)")
        }
    }

    /// The early-exercise premium by hand: a deep in-the-money put at 5% is worth its intrinsic
    /// value (exercise at once), the European one less.
    @Test func aDeepInTheMoneyPutIsWorthItsIntrinsicValue() throws {
        let (contract, now) = try Self.contract(.put, strike: 100, days: 182)
        let model = OptionPricingModel(rate: 0.05)
        let spot = Price(70)
        #expect(model.price(contract, spot: spot, volatility: 0.2, at: now) == Price(30))
        let european = BlackScholesMerton.value(.put, OptionInputs(spot: 70, strike: 100, volatility: 0.2, rate: 0.05, expiry: 182.0 / 365)).price
        // Parity: 100 e^(-0.05 x 182/365) - 70 = 27.54 plus a call worth almost nothing: less than exercising.
        #expect(european < 28 && european > 27.5)
        #expect(!OptionPricingModel(rate: 0).exercisesEarly(.put) && model.exercisesEarly(.put) && !model.exercisesEarly(.call))
    }
}
