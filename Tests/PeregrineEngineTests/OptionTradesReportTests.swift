import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineStrategies
import Testing

/// Option fills and round trips as a backtest reports them: `OptionRoundTrip` on a book built by hand
/// (P&L worked out here), and the rows `fills.csv` and `trades.csv` get for an iron condor whose leg
/// prices are worked out here from the bars.
@Suite struct OptionTradesReportTests {
    static func contract(_ type: OptionType, _ strike: Int, month: Int = 1, day: Int = 19) -> OCCSymbol {
        try! OCCSymbol(root: "SYN", expiration: CivilDate(year: 2024, month: month, day: day), type: type, strike: Price(strike))
    }

    static func time(_ day: Int) -> Timestamp { Timestamp(nanoseconds: CivilDate(year: 2024, month: 1, day: day).daysSinceEpoch * Timestamp.nanosPerDay) }

    static func order(_ number: Int, _ legs: [(OCCSymbol, OrderSide)], quantity: Int, day: Int) -> OptionOrder {
        OptionOrder(number: number, clientOrderID: "o\(number)", quantity: quantity, type: .market, timeInForce: .day, limitPrice: nil,
                    isMultiLeg: legs.count > 1, legs: legs.map { OptionOrder.Leg(contract: $0.0, ratio: 1, side: $0.1) },
                    submittedAt: time(day))
    }

    /// Two calls sold at 1.50 and bought back at 0.40; a condor settled with the stock at 88 (the
    /// long 90 put exercised, the short 95 put assigned, both calls expired); a February call still held.
    @Test func roundTripsOfAHandBuiltBook() throws {
        var book = OptionBook()
        let call = Self.contract(.call, 100)
        book.add(Self.order(1, [(call, .sell)], quantity: 2, day: 2))
        let filled1 = book.fill(0, legPrices: [Price("1.50")!], at: Self.time(3))
        #expect(filled1)
        book.add(Self.order(2, [(call, .buy)], quantity: 2, day: 8))
        let filled2 = book.fill(1, legPrices: [Price("0.40")!], at: Self.time(9))
        #expect(filled2)
        let legs = [(Self.contract(.put, 90), OrderSide.buy), (Self.contract(.put, 95), .sell), (Self.contract(.call, 105), .sell),
                    (Self.contract(.call, 110), .buy)]
        book.add(Self.order(3, legs, quantity: 1, day: 10))
        let filled3 = book.fill(2, legPrices: ["0.20", "0.90", "0.80", "0.15"].map { Price($0)! }, at: Self.time(11))
        #expect(filled3)
        book.add(Self.order(4, [(Self.contract(.call, 120, month: 2, day: 16), .buy)], quantity: 1, day: 12))
        let filled4 = book.fill(3, legPrices: [Price("2.00")!], at: Self.time(12))
        #expect(filled4)
        _ = book.settle(root: "SYN", before: CivilDate(year: 2024, month: 1, day: 22), close: Price(88), at: Self.time(22))
        let trips = OptionRoundTrip.trips(book)
        // 16:00 New York on Friday Jan 19 is 21:00 UTC (EST).
        let expiry = Timestamp(nanoseconds: Self.time(19).nanoseconds + 21 * 3_600 * 1_000_000_000)
        let byContract = Dictionary(uniqueKeysWithValues: trips.map { ($0.contract, $0) })
        #expect(trips.count == 6)
        let rolled = try #require(byContract[call])
        #expect(rolled.direction == .short && rolled.exit == .trade && rolled.entryContracts == 2 && rolled.exitTime == Self.time(9))
        #expect(rolled.averageEntryPrice == Price("1.50")! && rolled.averageExitPrice == Price("0.40")!)
        #expect(rolled.realizedPnL == Money("220"))  // (1.50 - 0.40) x 2 x 100
        let expected: [(OCCSymbol, OptionRoundTrip.Exit, Money)] = [
            (Self.contract(.put, 90), .exercise, Money("-20")!),     // paid 0.20 x 100
            (Self.contract(.put, 95), .assignment, Money("90")!),    // received 0.90 x 100
            (Self.contract(.call, 105), .expiry, Money("80")!),
            (Self.contract(.call, 110), .expiry, Money("-15")!),
        ]
        for (contract, exit, pnl) in expected {
            let trip = try #require(byContract[contract])
            #expect(trip.exit == exit && trip.exitTime == expiry && trip.realizedPnL == pnl && trip.averageExitPrice == .zero, "\(contract)")
        }
        let open = try #require(byContract[Self.contract(.call, 120, month: 2, day: 16)])
        #expect(open.isOpen && open.direction == .long && open.realizedPnL == .zero && trips.last == open)
    }

    /// The condor of `OptionStrategyBacktestTests` (3 condors on bars around 100, every leg expiring
    /// worthless): fills.csv has its four legs at the prices worked out from the model by hand, and
    /// trades.csv four expired trips whose P&L adds up to the credit.
    @Test func fillsAndTradesFilesCarryTheOptionLegs() throws {
        let closes = (0..<11).map { 100 + ($0 % 2 == 0 ? 0.6 : -0.6) }
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(100_000)
        let result = try StrategyRegistry.shared.backtest(strategy: "iron-condor", parameters: StrategyParameters(["days": "10", "contracts": "3"]),
                                                          series: [OptionStrategyBacktestTests.series(closes)], configuration: configuration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("option-report-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try BacktestReport(result: result, strategy: "iron-condor", parameters: [:], dataSources: ["hand"], loadSeconds: 0, runSeconds: 0)
            .write(to: folder)
        let fills = try String(contentsOfFile: folder + "/fills.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(fills[0] == ["timestamp", "symbol", "side", "quantity", "price", "commission", "client_order_id", "multiplier"])
        let legs = try #require(result.options?.orders.first?.legs)
        #expect(fills.count == 5)
        var credit = Money.zero
        for (row, leg) in zip(fills.dropFirst(), legs) {
            // Filled on Jan 2's open, 100.6, at the 30% fallback volatility.
            let price = OptionStrategyBacktestTests.model(leg.contract, spot: 100.6, volatility: 0.3, on: OptionStrategyBacktestTests.day(1, 2)).price
            #expect(row == ["2024-01-02", leg.contract.description, leg.side.rawValue, "3", price.description, "0", "option-1 iron condor", "100"])
            credit += leg.side == .sell ? price * Quantity(300) : -(price * Quantity(300))
        }
        let trades = try String(contentsOfFile: folder + "/trades.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(trades[0].last == "multiplier" && trades.count == 5)
        var total = Money.zero
        for row in trades.dropFirst() {
            #expect(row[2] == "expired" && row[4] == "2024-01-12T21:00:00Z" && row[5] == "3" && row[7] == "0" && row[12] == "100", "\(row)")
            total += try #require(Money(row[8]))
        }
        #expect(total == credit && credit > .zero)
    }
}
