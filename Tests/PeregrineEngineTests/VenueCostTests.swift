import PeregrineCore
import PeregrineEngine
import PeregrineTestSupport
import Testing

@Suite struct VenueCostTests {
    typealias B = BarBuilder
    let bars = (0..<6).map { k in B.bar("2024-01-0\(k + 2)", "100", "100", "100", "100", volume: 1000) }

    @Test func perShareCommissionWithMinimumSpansPartialFills() throws {
        // 0.005/share, min 1.00: 300 shares in 100-share pieces (10% of 1,000 volume).
        // Fill 1: due max(0.50, 1) = 1.00. Fill 2: due max(1.00, 1) - 1.00 = 0. Fill 3: 1.50 - 1.00 = 0.50.
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(300), timeInForce: .gtc))]]) {
            $0.venue.commission = try! CommissionModel(specification: "per-share:0.005,min=1")
            $0.venue.maxVolumeShare = Rate(percent: "10")!
        }
        #expect(r.fills.map(\.commission) == [Money("1")!, Money.zero, Money("0.5")!])
        #expect(r.account.commissionsPaid == Money("1.5")!)
        #expect(r.account.cash == Money(1_000_000) - Money(30_000) - Money("1.5")!)
    }

    @Test func percentAndFixedCommission() {
        let percent = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))]]) {
            $0.venue.commission = try! CommissionModel(specification: "percent:0.1")
        }
        #expect(percent.fills[0].commission == Money("1")!)  // 0.1% of 1,000
        let bps = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))]]) {
            $0.venue.commission = try! CommissionModel(specification: "bps:5")
        }
        #expect(bps.fills[0].commission == Money("0.5")!)
        let fixed = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(300), timeInForce: .gtc))]]) {
            $0.venue.commission = try! CommissionModel(specification: "fixed:2.50")
            $0.venue.maxVolumeShare = Rate(percent: "10")!
        }
        #expect(fixed.fills.map(\.commission) == [Money("2.5")!, .zero, .zero])
    }

    @Test func fixedBasisPointSlippageMovesAgainstTheTraderOnTheTickGrid() {
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(10)))], 2: [.submit(.market(acme, .sell, Quantity(10)))]]) {
            $0.venue.slippage = try! SlippageModel(specification: "bps:10")
        }
        #expect(r.fills.map(\.price) == [price("100.1"), price("99.9")])
        // 7 bps of 100 is 0.07: on the cent grid buy 100.07, sell 99.93; 2.5 bps is 0.025: buy rounds up to 100.03.
        let odd = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(1)))]]) {
            $0.venue.slippage = try! SlippageModel(specification: "bps:2.5")
        }
        #expect(odd.fills[0].price == price("100.03"))
    }

    @Test func volumeShareSlippageGrowsWithTheShare() {
        // 100 of 1,000 shares: impact 0.1 * 0.1^2 = 0.001 -> 100.10.
        let r = runScript(bars, [0: [.submit(.market(acme, .buy, Quantity(100)))]]) {
            $0.venue.slippage = try! SlippageModel(specification: "volume-share:0.1")
        }
        #expect(r.fills[0].price == price("100.1"))
    }

    @Test func limitFillsAreNotSlipped() {
        let r = runScript(bars, [0: [.submit(.limit(acme, .buy, Quantity(10), price("100")))]]) {
            $0.venue.slippage = try! SlippageModel(specification: "bps:50")
        }
        #expect(r.fills[0].price == price("100"))
    }

    @Test func modelSpecificationsRejectNonsenseWithAHint() {
        #expect(throws: ConfigurationError.self) { try CommissionModel(specification: "per-share") }
        #expect(throws: ConfigurationError.self) { try CommissionModel(specification: "percent:abc") }
        #expect(throws: ConfigurationError.self) { try CommissionModel(specification: "bogus") }
        #expect(throws: ConfigurationError.self) { try SlippageModel(specification: "bps:-1") }
        do {
            _ = try CommissionModel(specification: "weird:1")
        } catch {
            #expect(error.message.contains("per-share:0.005"))
        }
    }
}
