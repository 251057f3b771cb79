import Foundation
import PeregrineCore
import PeregrineData
import PeregrineTestSupport
import Testing

/// Alpaca's corporate-actions API end to end: `peregrine exchange` serves a factor file's splits and
/// dividends at /v1/corporate-actions, `data corporate-actions` downloads them into an events file,
/// and that file reads back as the same actions, which a backtest then applies.
@Suite(.serialized) struct CorporateActionsCommandTests {
    let keys = ["APCA_API_KEY_ID": "PKACTIONS", "APCA_API_SECRET_KEY": "actions-secret"]

    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try PeregrineProcess.run(arguments, environment: keys)
    }

    @Test func servedDownloadedAndReadBack() async throws {
        let factors = TestPaths.fixture("aapl_lean_factor_file.csv")
        let exchange = try ExchangeProcess(["--data", TestPaths.fixture("aapl_daily_raw_2000.csv"), "--symbol", "AAPL",
                                            "--corporate-actions", factors, "--speed", "manual", "--port", "0"], environment: keys)
        defer { exchange.stop() }
        let base = exchange.base
        let out = TestPaths.temporaryFolder() + "/actions.csv"
        let download = try run(["data", "corporate-actions", "--symbols", "AAPL", "--start", "2000-01-01", "--end", "2014-12-31",
                                "--base-url", base, "--out", out])
        #expect(download.status == 0, "\(download.error)")
        let expected = try CorporateActionFile.read(path: factors, symbol: "AAPL")
            .filter { $0.date >= CivilDate(year: 2000, month: 1, day: 1) && $0.date <= CivilDate(year: 2014, month: 12, day: 31) }
        #expect(download.output.contains("wrote \(expected.count) corporate actions of AAPL"), "\(download.output)")
        let readBack = try CorporateActionFile.read(path: out, symbol: "AAPL")
        #expect(readBack == expected)
        #expect(readBack.contains { $0.description == "AAPL 2014-06-09 split 7:1" })
        // A symbol the exchange has no actions for gets none; a bad date is refused by name.
        let none = try run(["data", "corporate-actions", "--symbols", "MSFT", "--start", "2000-01-01", "--base-url", base, "--out", out])
        #expect(none.status == 0 && none.output.contains("wrote 0 corporate actions"))
        let bad = try run(["data", "corporate-actions", "--symbols", "AAPL", "--start", "2000-13-01", "--base-url", base, "--out", out])
        #expect(bad.status != 0 && bad.error.contains("--start '2000-13-01' is not a date"))
    }
}
