import Foundation
import PeregrineTestSupport
import Testing

/// `peregrine exchange` as a separate process, and `peregrine data download` fetching from it over HTTP.
@Suite struct ExchangeCommandTests {
    @Test func downloadFromARunningExchangeWritesExactlyTheReplayedBars() throws {
        let keys = ["APCA_API_KEY_ID": "PKCLI", "APCA_API_SECRET_KEY": "cli-secret"]
        let server = Process()
        server.executableURL = URL(fileURLWithPath: TestPaths.executable)
        server.arguments = ["exchange", "--data", "synthetic:bars=500,seed=3", "--speed", "manual", "--port", "0", "--warmup", "300"]
        server.environment = ProcessInfo.processInfo.environment.merging(keys) { $1 }
        let output = Pipe()
        server.standardOutput = output
        server.standardError = Pipe()
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var text = ""
        while !text.contains("listening on ") || !text.hasSuffix("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("listening on ") })
        let base = String(line.split(separator: " ")[2])
        #expect(text.contains("keys: APCA_API_KEY_ID PKCLI") && !text.contains("cli-secret"))

        let folder = TestPaths.temporaryFolder()
        let download = Process()
        download.executableURL = URL(fileURLWithPath: TestPaths.executable)
        download.arguments = ["data", "download", "--symbols", "SYN", "--timeframe", "1Min", "--start", "1970-01-01",
                              "--base-url", base, "--out", folder]
        download.environment = ProcessInfo.processInfo.environment.merging(keys) { $1 }
        let downloadOutput = Pipe()
        download.standardOutput = downloadOutput
        download.standardError = downloadOutput
        try download.run()
        let said = String(decoding: downloadOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        download.waitUntilExit()
        #expect(download.terminationStatus == 0, "\(said)")
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
