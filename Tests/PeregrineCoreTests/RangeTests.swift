import PeregrineCore
import PropertyBased
import Testing

/// The books' ranges: quantities and volumes of any real market hold exactly, and no conversion or
/// product traps; a value beyond a range is refused or lands where every check refuses it.
@Suite struct RangeTests {
    @Test func volumesAndHoldingsOfRealMarketsParseExactly() {
        // An index's daily volume (S&P 500, 2008-10-10): past 64 bits at nine decimals.
        #expect(Quantity("9459830000")!.units == Int128(9_459_830_000) * 1_000_000_000)
        // A trillion coins with every decimal Alpaca sends.
        #expect(Quantity("1000000000000.123456789")!.description == "1000000000000.123456789")
        #expect(Quantity("1000000000000000000000") == Quantity.maximum)
        #expect(Quantity("1000000000000000000000.000000001") == nil)
        #expect(Quantity.parse(Array("99999999999999999999999".utf8)) == .failure(.outOfRange("99999999999999999999999")))
    }

    /// Any double, NaN and infinities included, becomes a quantity without trapping: within the
    /// range it is the value rounded toward zero on the nano grid, beyond it one unit past the maximum.
    @Test func approximatingAQuantityNeverTraps() async {
        await propertyCheck(count: 2000, input: Gen.double(in: -40...40), Gen.double(in: 1...10), Gen.bool()) { exponent, mantissa, negative in
            let value = (negative ? -1 : 1) * mantissa * pow10(exponent)
            let quantity = Quantity(approximating: value)
            if value.magnitude * 1e9 > Double(Quantity.maximum.units) {
                #expect(quantity.units.magnitude == Quantity.maximum.units.magnitude + 1)
                #expect(!quantity.isInRange)
            } else {
                #expect(quantity.isInRange)
                // Within one nano-unit of the value, on the side of zero (toward zero), relative to doubles' precision.
                let error = value * 1e9 - quantity.units.fastDoubleValue
                #expect(error.magnitude <= 1 + value.magnitude * 1e9 * 1e-15, "\(value) -> \(quantity)")
            }
        }
        #expect(Quantity(approximating: .nan) == .zero)
        #expect(Quantity(approximating: .infinity).units == Quantity.maximum.units + 1)
        #expect(Quantity(approximating: -.infinity).units == -(Quantity.maximum.units + 1))
    }

    @Test func approximatingAPriceNeverTraps() async {
        await propertyCheck(count: 2000, input: Gen.double(in: -30...30), Gen.double(in: 1...10)) { exponent, mantissa in
            let value = mantissa * pow10(exponent)
            let price = Price(approximating: value)
            if value * 1e9 >= 9.2e18 {
                #expect(price.units == Int64.max)
            } else {
                #expect((Double(price.units) - value * 1e9).magnitude <= 0.5 + value * 1e9 * 1e-15)
            }
        }
        #expect(Price(approximating: .nan) == .zero)
        #expect(Price(approximating: -.infinity).units == -Int64.max)
    }

    /// A price times a quantity is exact while it fits 128 bits and saturates at the books' bound beyond
    /// them (never traps); `value(of:)` says whether it lies within the books' range, checked against the product in doubles.
    @Test func productsAreExactOrRefused() async {
        await propertyCheck(count: 3000, input: Gen.int64(in: 1...Int64.max), Gen.double(in: 0...30.5), Gen.bool()) { priceUnits, quantityExponent, short in
            let quantity = Quantity(units: Int128(pow10(quantityExponent)) * (short ? -1 : 1))
            let price = Price(units: priceUnits)
            let estimate = Double(priceUnits) * quantity.units.fastDoubleValue
            let product = price * quantity
            if let exact = price.value(of: quantity) {
                #expect(exact == product)
                #expect(exact.units == Int128(priceUnits) * quantity.units)
                #expect(estimate.magnitude < 1.0000001e37)
            } else {
                #expect(estimate.magnitude > 0.9999999e37)
                #expect(!product.isInRange)
                // Exact while 128 bits hold it, saturated at the bound past them.
                let (wide, overflow) = Int128(priceUnits).multipliedReportingOverflow(by: quantity.units)
                #expect(product == (overflow ? (short ? -Money.maximum : Money.maximum) : Money(units: wide)))
            }
        }
    }

    /// Cost-basis allocation and rates are exact for 128-bit quantities: checked against the same
    /// division done in doubles, and exactly where the plain product fits.
    @Test func proportionsAndRatesNeverOverflow() async {
        await propertyCheck(count: 3000, input: Gen.double(in: 0...37), Gen.double(in: 0...30), Gen.double(in: 0...1), Gen.int64(in: 0...2_000_000_000)) { moneyExponent, wholeExponent, share, rate in
            let money = Money(units: Int128(pow10(moneyExponent)))
            let whole = Quantity(units: max(1, Int128(pow10(wholeExponent))))
            let part = Quantity(units: Int128((whole.units.fastDoubleValue * share).rounded(.down)))
            let allocated = money.proportion(part, of: whole)
            let expected = money.units.fastDoubleValue * part.units.fastDoubleValue / whole.units.fastDoubleValue
            #expect((allocated.units.fastDoubleValue - expected).magnitude <= 1 + expected * 1e-12)
            let (product, overflow) = money.units.multipliedReportingOverflow(by: part.units)
            if !overflow { #expect(allocated.units == product / whole.units) }
            let charged = money.multiplied(byPartsPerBillion: rate)
            let (direct, directOverflow) = money.units.multipliedReportingOverflow(by: Int128(rate))
            if !directOverflow { #expect(charged.units == (direct + 500_000_000) / 1_000_000_000) }
            #expect((charged.units.fastDoubleValue - money.units.fastDoubleValue * Double(rate) / 1e9).magnitude
                    <= 1 + money.units.fastDoubleValue * Double(rate) / 1e9 * 1e-12)
            let capped = whole.multiplied(byPartsPerBillion: min(rate, 1_000_000_000))
            let (volumeProduct, volumeOverflow) = whole.units.multipliedReportingOverflow(by: Int128(min(rate, 1_000_000_000)))
            if !volumeOverflow { #expect(capped.units == volumeProduct / 1_000_000_000) }
            #expect(capped <= whole)
        }
    }

    /// All of an amount (a position closed whole) is the amount itself, with the sign the general
    /// rule gives: negative when exactly one of amount, part and whole is; and one unit less of the
    /// part takes the rounded-down share, worked out by hand.
    @Test func theWholeProportionIsTheAmountItself() {
        let amount = Money(units: 123_456_789_012_345_678_901_234_567)
        let whole = Quantity(units: 700_000_000_000)
        #expect(amount.proportion(whole, of: whole) == amount)
        #expect((-amount).proportion(whole, of: whole) == -amount)
        #expect(amount.proportion(-whole, of: whole) == -amount)
        #expect(amount.proportion(-whole, of: -whole) == amount)
        #expect((-amount).proportion(whole, of: -whole) == amount)
        // 1_000 * 2 / 3 = 666.67, toward zero 666; the same amount at 3 of 3 is all of it.
        #expect(Money(units: 1_000).proportion(Quantity(units: 2), of: Quantity(units: 3)) == Money(units: 666))
        #expect(Money(units: -1_000).proportion(Quantity(units: 2), of: Quantity(units: 3)) == Money(units: -666))
        #expect(Money(units: 1_000).proportion(Quantity(units: 3), of: Quantity(units: 3)) == Money(units: 1_000))
    }

    @Test func datesBeyondTheTimestampRangeAreNamed() {
        #expect(Timestamp.holds(CivilDate(year: 2261, month: 12, day: 31)))
        #expect(!Timestamp.holds(CivilDate(year: 9999, month: 12, day: 31)))
        #expect(!Timestamp.holds(CivilDate(year: 1677, month: 12, day: 31)))
        #expect(CivilDate(iso: "9999-12-31") == nil)
        #expect(CivilDate(iso: "2261-12-31") != nil)
        // The last date held, at its last nanosecond, still fits 64 bits.
        let last = Timestamp(date: Timestamp.latestDate).nanoseconds.addingReportingOverflow(Timestamp.nanosPerDay * 2)
        #expect(!last.overflow)
        let first = Timestamp(date: Timestamp.earliestDate).nanoseconds.subtractingReportingOverflow(Timestamp.nanosPerDay * 2)
        #expect(!first.overflow)
    }
}

/// About 10^x, for spreading generated values over many magnitudes: 10^floor(x) times a factor
/// from 1 to 10 linear in the fraction (the test needs no Foundation).
private func pow10(_ exponent: Double) -> Double {
    var result = 1.0
    var whole = Int(exponent.magnitude.rounded(.down))
    while whole > 0 { result *= 10; whole -= 1 }
    let scaled = result * (1 + 9 * (exponent.magnitude - exponent.magnitude.rounded(.down)))
    return exponent < 0 ? 1 / scaled : scaled
}
