import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineTestSupport
import Testing

/// The crypto and quote commands as a user runs them, against `peregrine exchange` as a separate
/// process: a pair's file `BTCUSD.csv` served as BTC/USD, `data download --asset-class crypto`
/// writing the replayed bars back to `BTCUSD.csv` exactly, `data latest` printing the quote and trade
/// the exchange documents, and `data stream` printing the trades and quotes of bars replayed while
/// it listens.
@Suite(.serialized) struct CryptoCommandTests {
    let keys = ["APCA_API_KEY_ID": "PKCRYPTOCLI", "APCA_API_SECRET_KEY": "crypto-cli-secret"]

    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try PeregrineProcess.run(arguments, environment: keys)
    }

    /// 200 one-minute rows from Saturday 2024-06-08 00:00 UTC, fractional volumes.
    func rows() -> [(time: String, open: String, high: String, low: String, close: String, volume: String)] {
        (0..<200).map { k in
            let minute = Timestamp(nanoseconds: Timestamp(date: CivilDate(year: 2024, month: 6, day: 8)).nanoseconds
                + Int64(k) * Timestamp.nanosPerMinute)
            let open = 69_000 + 3 * k
            // Volumes written as the CSV writer writes them (no trailing zeros).
            let volume = Quantity("0.\(10_000 + 37 * k)")!.description
            return (minute.iso8601, "\(open).5", "\(open + 4).25", "\(open - 2).125", "\(open + 1).75", volume)
        }
    }

    @Test func aPairFileIsServedDownloadedQuotedAndStreamedAsBTCUSD() async throws {
        let folder = TestPaths.temporaryFolder()
        let data = rows()
        let csv = "timestamp,open,high,low,close,volume\n" + data.map { "\($0.time),\($0.open),\($0.high),\($0.low),\($0.close),\($0.volume)" }
            .joined(separator: "\n") + "\n"
        try csv.write(toFile: folder + "/BTCUSD.csv", atomically: true, encoding: .utf8)

        let exchange = try ExchangeProcess(["--data", folder + "/BTCUSD.csv", "--asset-class", "crypto", "--speed", "manual",
                                            "--port", "0", "--warmup", "120"], environment: keys)
        defer { exchange.stop() }
        let line = try #require(exchange.banner.split(separator: "\n").first { $0.hasPrefix("listening on ") })
        #expect(line.contains("symbols: BTC/USD (200 bars)"), "\(line)")
        let base = exchange.base

        // The replayed bars, written back under the pair's file name, exactly.
        let out = folder + "/downloaded"
        let download = try run(["data", "download", "--symbols", "BTC/USD", "--asset-class", "crypto", "--timeframe", "1Min",
                                "--start", "2024-06-08", "--base-url", base, "--out", out])
        #expect(download.status == 0, "\(download.error)")
        #expect(download.output.contains("BTC/USD: 120 bars -> \(out)/BTCUSD.csv"), "\(download.output)")
        let written = try String(contentsOfFile: out + "/BTCUSD.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(written.count == 120)
        for (line, row) in zip(written, data) {
            let fields = line.split(separator: ",").map(String.init)
            #expect(Array(fields.suffix(5)) == [row.open, row.high, row.low, row.close, row.volume], "\(line)")
        }

        // The latest quote and trade: bar 119's, by the documented rule.
        let latest = try run(["data", "latest", "--symbols", "BTC/USD", "--base-url", base])
        #expect(latest.status == 0, "\(latest.error)")
        let last = data[119]
        let want = ExpectedBarTape.quote(close: last.close, volume: last.volume, tick: "0.000000001", lot: "0.000000001")
        let lines = latest.output.split(separator: "\n").map(String.init)
        #expect(lines == ["symbol,quote_time,bid_size,bid,ask,ask_size,trade_time,price,size",
                          "BTC/USD,\(last.time),\(want.size),\(want.bid),\(want.ask),\(want.size),\(last.time),\(last.close),\(want.size)"],
                "\(lines)")

        // The stream: bars 120 and 121 replayed while it listens, each a trade then a quote.
        let stream = Process()
        stream.executableURL = URL(fileURLWithPath: TestPaths.executable)
        stream.arguments = ["data", "stream", "--symbols", "BTC/USD", "--channels", "quotes,trades", "--count", "4", "--base-url", base]
        stream.environment = ProcessInfo.processInfo.environment.merging(keys) { $1 }
        let streamOut = Pipe(), streamErr = Pipe()
        stream.standardOutput = streamOut
        stream.standardError = streamErr
        try stream.run()
        var said = ""
        while !said.contains("subscribed") {
            let chunk = streamErr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        #expect(said.contains("crypto/us: subscribed to bars [], quotes [\"BTC/USD\"], trades [\"BTC/USD\"]"), "\(said)")
        let client = AlpacaTradingClient(environment: .local(base), credentials: AlpacaCredentials(keyID: keys["APCA_API_KEY_ID"]!,
                                                                                                   secret: keys["APCA_API_SECRET_KEY"]!),
                                         transport: AsyncHTTPTransport())
        #expect(try await client.advanceLocalExchange(steps: 2).replayed == 2)
        let streamed = String(decoding: streamOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        stream.waitUntilExit()
        #expect(stream.terminationStatus == 0)
        var expected: [String] = []
        for k in [120, 121] {
            let row = data[k]
            let tape = ExpectedBarTape.quote(close: row.close, volume: row.volume, tick: "0.000000001", lot: "0.000000001")
            expected.append("trade,BTC/USD,\(row.time),\(row.close),\(tape.size),,\(k + 1),")
            expected.append("quote,BTC/USD,\(row.time),\(tape.size),\(tape.bid),\(tape.ask),\(tape.size),,,")
        }
        #expect(streamed.split(separator: "\n").map(String.init) == expected, "\(streamed)")
    }
}
