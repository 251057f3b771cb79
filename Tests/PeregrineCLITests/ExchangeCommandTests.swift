import Foundation
import PeregrineAlpaca
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

    /// `--fault-rate`: 429s and 500s before the exchange acts, lost responses after it did. An order whose
    /// answer was lost is at the exchange; one answered 429 or 500 is not; the counts printed at the end
    /// are the faults the client met.
    @Test func faultsAreInjectedAsAnUnreliableNetworkMakesThem() async throws {
        let keys = ["APCA_API_KEY_ID": "PKFAULT", "APCA_API_SECRET_KEY": "fault-secret"]
        let exchange = try ExchangeProcess(["--data", "synthetic:bars=50,seed=2", "--speed", "manual", "--port", "0", "--warmup", "10",
                                            "--fault-rate", "0.3", "--fault-seed", "11"], environment: keys)
        let transport = AsyncHTTPTransport(timeoutSeconds: 60)
        let headers = ["APCA-API-KEY-ID": "PKFAULT", "APCA-API-SECRET-KEY": "fault-secret", "Content-Type": "application/json"]
        var met: [String: Int] = [:]
        /// One request; nil when its response was lost.
        func send(_ method: HTTPRequestSpec.Method, _ path: String, _ body: String? = nil) async -> HTTPResponseSpec? {
            do {
                let response = try await transport.send(HTTPRequestSpec(method: method, url: exchange.base + path, headers: headers,
                                                                        body: body.map { Data($0.utf8) }))
                if response.status == 429 { met["rateLimited", default: 0] += 1; #expect(response.headers.first { $0.key.lowercased() == "retry-after" }?.value == "1") }
                if response.status == 500 { met["serverError", default: 0] += 1 }
                return response
            } catch {
                met["lostResponse", default: 0] += 1
                return nil
            }
        }
        var lost: [String] = [], refused: [String] = [], placed: [String] = []
        for k in 0..<40 {
            let id = "fault-\(k)"
            let answer = await send(.post, "/v2/orders", #"{"symbol":"SYN","qty":"1","side":"buy","type":"market","time_in_force":"day","client_order_id":"\#(id)"}"#)
            switch answer?.status {
            case nil: lost.append(id)
            case 200?: placed.append(id)
            default: refused.append(id)
            }
        }
        // Look each order up until an answer gets through: lost ones and placed ones exist, refused ones do not.
        for (ids, exists) in [(lost + placed, true), (refused, false)] {
            for id in ids {
                var status: Int?
                while status == nil || status == 429 || status == 500 {
                    status = await send(.get, "/v2/orders:by_client_order_id?client_order_id=\(id)")?.status
                }
                #expect(status == (exists ? 200 : 404), "\(id)")
            }
        }
        let said = exchange.stopReadingOutput()
        #expect(!lost.isEmpty && !refused.isEmpty && placed.count > 20, "lost \(lost.count), refused \(refused.count), placed \(placed.count)")
        #expect(said.contains("faults injected: rateLimited \(met["rateLimited", default: 0]), serverError \(met["serverError", default: 0]), "
                              + "lostResponse \(met["lostResponse", default: 0])"), "\(said) against \(met)")
    }
}
