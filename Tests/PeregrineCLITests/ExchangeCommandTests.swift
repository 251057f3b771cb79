import Foundation
import PeregrineTestSupport
import Testing

/// `peregrine exchange` as a separate process, and `peregrine data download` fetching from it over HTTP.
@Suite struct ExchangeCommandTests {
    @Test func downloadFromARunningExchangeWritesExactlyTheReplayedBars() throws {
        let keys = ["APCA_API_KEY_ID": "PKCLI", "APCA_API_SECRET_KEY": "cli-secret"]
        let exchange = try ExchangeProcess(["--data", "synthetic:bars=500,seed=3", "--speed", "manual", "--port", "0", "--warmup", "300"],
                                           environment: keys)
        defer { exchange.stop() }
        let base = exchange.base
        #expect(exchange.banner.contains("keys: APCA_API_KEY_ID PKCLI") && !exchange.banner.contains("cli-secret"))

        let folder = TestPaths.temporaryFolder()
        let download = try PeregrineProcess.run(["data", "download", "--symbols", "SYN", "--timeframe", "1Min", "--start", "1970-01-01",
                                                 "--base-url", base, "--out", folder], environment: keys)
        let said = download.output + download.error
        #expect(download.status == 0, "\(said)")
        #expect(said.contains("SYN: 300 bars"), "\(said)")

        let generated = folder + "/gen.csv"
        let gen = try peregrine(["data", "generate", "--out", generated, "--bars", "500", "--seed", "3"])
        #expect(gen.status == 0)
        let downloaded = try String(contentsOfFile: folder + "/SYN.csv", encoding: .utf8).split(separator: "\n")
        let expected = try String(contentsOfFile: generated, encoding: .utf8).split(separator: "\n")
        #expect(downloaded.count == 301)
        #expect(Array(downloaded) == Array(expected.prefix(301)))
    }
}
