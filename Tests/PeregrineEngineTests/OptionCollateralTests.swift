import PeregrineCore
import PeregrineEngine
import PeregrineModels
import Testing

/// The collateral of option positions by hand: a cash-secured put holds its strike x 100, a credit
/// spread its width x 100, an iron condor its wider side, a covered call nothing, a long contract
/// nothing; a short call covered neither by shares nor by a long call that lives as long is uncovered.
@Suite struct OptionCollateralTests {
    let p95: OCCSymbol, p975: OCCSymbol, p100: OCCSymbol, c100: OCCSymbol, c1025: OCCSymbol, c105: OCCSymbol
    let c100Early: OCCSymbol, c100Late: OCCSymbol

    init() throws {
        (p95, p975, p100) = (try OCCSymbol("SYN240119P00095000"), try OCCSymbol("SYN240119P00097500"), try OCCSymbol("SYN240119P00100000"))
        (c100, c1025, c105) = (try OCCSymbol("SYN240119C00100000"), try OCCSymbol("SYN240119C00102500"), try OCCSymbol("SYN240119C00105000"))
        (c100Early, c100Late) = (try OCCSymbol("SYN240112C00100000"), try OCCSymbol("SYN240126C00100000"))
    }

    func requirement(_ contracts: [OCCSymbol: Int], shares: Int = 0) -> Money? {
        OptionCollateral(contracts: contracts, shares: Quantity(shares)).requirement
    }

    @Test func singleContracts() {
        #expect(requirement([p975: -2]) == Money(19_500))  // 2 x 97.50 x 100
        #expect(requirement([p95: 3, c105: 1]) == .zero)
        #expect(requirement([c100: -1], shares: 100) == .zero)  // covered
        #expect(requirement([c100: -2], shares: 100) == nil)  // one covered, one naked
        #expect(requirement([c100: -1], shares: 99) == nil)
        #expect(requirement([:]) == .zero)
    }

    @Test func spreadsHoldTheirMaximumLoss() {
        #expect(requirement([p100: -1, p95: 1]) == Money(500))  // bull put: width 5
        #expect(requirement([c100: -1, c105: 1]) == Money(500))  // bear call: width 5
        #expect(requirement([c100: 1, c105: -1]) == .zero)  // bull call (debit): paid up front
        // Iron condor: puts 95/97.50, calls 102.50/105: the wider side, 2.50 x 100, once.
        #expect(requirement([p95: 1, p975: -1, c1025: -1, c105: 1]) == Money(250))
        // Two condors and a third short put: puts 97.50 x 1 + 2.50 x 2 at zero = 9,750 + 500.
        #expect(requirement([p95: 2, p975: -3, c1025: -2, c105: 2]) == Money(10_250))
        // A 2:1 call ratio spread leaves one call naked; shares cover it.
        #expect(requirement([c100: 1, c105: -2]) == nil)
        #expect(requirement([c100: 1, c105: -2], shares: 100) == .zero)
    }

    @Test func aLongCallCoversOnlyAShortOneThatExpiresNoLater() {
        #expect(requirement([c100Early: -1, c100Late: 1]) == .zero)  // calendar: short near, long far
        #expect(requirement([c100Late: -1, c100Early: 1]) == nil)  // the long one expires first
        // Shares cover the lowest strike first: 100 shares against short 100 and 105 calls.
        let mixed = OptionCollateral(contracts: [c100: -1, c105: -1], shares: Quantity(100))
        #expect(mixed.uncoveredShortCalls == [c105: 1] && mixed.sharesForShortCalls == Quantity(200))
    }
}
