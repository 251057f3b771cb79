import PeregrineCore
import Testing

@Suite struct FixedPointTests {
    @Test func parsesDecimalTextExactly() {
        #expect(Price("45.549999")!.units == 45_549_999_000)
        #expect(Price("3602.00")!.units == 3_602_000_000_000)
        #expect(Price("-0.5")!.units == -500_000_000)
        #expect(Price("1.0716")!.units == 1_071_600_000)
        #expect(Price("1.1234567890")!.units == 1_123_456_789)  // trailing zero past nine decimals is fine
        #expect(Quantity("0.000000001")!.units == 1)
    }

    @Test func refusesTextItWouldHaveToRound() {
        #expect(Price("1.1234567891") == nil)
        #expect(DecimalText.parseUnits("1.1234567891", fractionDigits: 9) == .failure(.tooManyDecimals("1.1234567891", allowed: 9)))
        #expect(Price("abc") == nil)
        #expect(Price("1.2.3") == nil)
        #expect(Price("") == nil)
        #expect(Price("NaN") == nil)
        #expect(Price("1e5") == nil)
        #expect(Price("99999999999") == nil)  // beyond 9.2e9 at nine decimals
    }

    @Test func productsAreExact() {
        // 0.1 + 0.2 style drift cannot happen: 3 x 0.1 is exactly 0.3.
        let p = Price("0.1")!
        let total = p * Quantity(3)
        #expect(total == Money("0.3")!)
        // 45.549999 * 123.456789 = 5623.456615493211 exactly (checked with Python decimal):
        let notional = Price("45.549999")! * Quantity("123.456789")!
        #expect(notional.units == Int128(45_549_999_000) * Int128(123_456_789_000))
        #expect(notional.description == "5623.456615493211")
        #expect(notional.formatted(places: 6) == "5623.456615")
    }

    /// Text with all 18 decimals (a cost basis from a position averaged over several prices) parses
    /// exactly; a 19th decimal or a stray character is refused.
    @Test func moneyParsesEveryDecimal() {
        #expect(Money("297791.239879081015719468")!.description == "297791.239879081015719468")
        #expect(Money("297791.239879081015719468")!.units == Int128(297_791_239_879_081_015) * 1_000_000 + 719_468)
        #expect(Money("-0.000000000000000001")!.units == -1)
        #expect(Money("-2.0000000005")!.units == -(2 * Money.scale + 500_000_000))
        #expect(Money("1.0000000000000000001") == nil && Money("1.00000000000x") == nil && Money("1.2.3") == nil)
    }

    @Test func formatsWithHalfAwayFromZeroRounding() {
        #expect(Money("1.005")!.formatted(places: 2) == "1.01")
        #expect(Money("-1.005")!.formatted(places: 2) == "-1.01")
        #expect(Money("1.004")!.formatted(places: 2) == "1.00")
        #expect(Money(1_000_000).formatted(places: 2) == "1000000.00")
        #expect(Price("45.5")!.description == "45.5")
        #expect(Money("0.000000001")!.description == "0.000000001")
    }

    @Test func ratesParseExactly() {
        #expect(Rate(percent: "0.1")!.partsPerBillion == 1_000_000)
        #expect(Rate(basisPoints: "5")!.partsPerBillion == 500_000)
        #expect(Money(10_000).multiplied(byPartsPerBillion: Rate(basisPoints: "5")!.partsPerBillion) == Money(5))
    }

    @Test func roundsToTicksAndLots() {
        let tick = Price("0.01")!
        #expect(Price("10.001")!.rounded(toTick: tick, up: true) == Price("10.01")!)
        #expect(Price("10.009")!.rounded(toTick: tick, up: false) == Price("10")!)
        #expect(Price("10.01")!.rounded(toTick: tick, up: true) == Price("10.01")!)
        #expect(Quantity("7.9")!.rounded(downToLot: Quantity(1)) == Quantity(7))
    }
}
