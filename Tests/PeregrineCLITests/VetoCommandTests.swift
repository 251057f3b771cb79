import Foundation
import PeregrineTestSupport
import Testing

/// `backtest --veto-answers` replays recorded answers; `veto record` asks the [veto] model (here one
/// that cannot be reached, so every entry is decided by on_failure) and records what happened.
@Suite(.serialized) struct VetoCommandTests {
    @Test func aBacktestReplaysRecordedAnswers() throws {
        let folder = TestPaths.temporaryFolder()
        let plain = try peregrine(["backtest", "--data", "synthetic:bars=600,seed=4", "--decisions", folder + "/plain.csv"])
        #expect(plain.status == 0, "\(plain.error)")
        let rows = try String(contentsOfFile: folder + "/plain.csv", encoding: .utf8).split(separator: "\n")
        let header = rows[0].split(separator: ",").map(String.init)
        let time = try #require(header.firstIndex(of: "timestamp")), reason = try #require(header.firstIndex(of: "reason"))
        let outcome = try #require(header.firstIndex(of: "outcome"))
        let entries = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0[reason] == "open_long" && $0[outcome] == "submitted" }
        try #require(entries.count >= 3)
        // The first entry vetoed, the rest allowed.
        let lines = entries.enumerated().map { n, row in
            #"{"allowed":\#(n > 0),"quantity":"100","reason":"\#(n == 0 ? "too close to the open" : "fine")","side":"buy","symbol":"SYN","time":"\#(row[time])","verdict":"\#(n == 0 ? "veto" : "allow")"}"#
        }
        try lines.joined(separator: "\n").write(toFile: folder + "/answers.jsonl", atomically: true, encoding: .utf8)
        let vetoed = try peregrine(["backtest", "--data", "synthetic:bars=600,seed=4", "--veto-answers", folder + "/answers.jsonl",
                                    "--out", folder + "/vetoed"])
        #expect(vetoed.status == 0, "\(vetoed.error)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/vetoed/summary.json"))) as? [String: Any])
        let counts = try #require(summary["veto"] as? [String: Int])
        #expect(counts["veto"] == 1 && (counts["allow"] ?? 0) >= 1, "\(counts)")
        let decisions = try String(contentsOfFile: folder + "/vetoed/decisions.csv", encoding: .utf8)
        #expect(decisions.contains("vetoed") && decisions.contains("veto model refused: too close to the open"))

        try "{\"time\": 3}\n".write(toFile: folder + "/bad.jsonl", atomically: true, encoding: .utf8)
        let bad = try peregrine(["backtest", "--data", "synthetic:bars=600,seed=4", "--veto-answers", folder + "/bad.jsonl"])
        #expect(bad.status != 0 && bad.error.contains("bad.jsonl:1: not a recorded veto answer"), "\(bad.error)")
    }

    @Test func recordingWithAnUnreachableModelFollowsThePolicy() throws {
        let folder = TestPaths.temporaryFolder()
        try """
            [veto]
            base_url = "http://127.0.0.1:9/v1"
            model = "absent"
            timeout_seconds = 0.5
            on_failure = "refuse"
            """.write(toFile: folder + "/veto.toml", atomically: true, encoding: .utf8)
        let run = try peregrine(["veto", "record", "--data", "synthetic:bars=400,seed=4", "--config", folder + "/veto.toml",
                                 "--out", folder + "/answers.jsonl", "--summary", folder + "/summary.json"])
        #expect(run.status == 0, "\(run.error)")
        let answers = try String(contentsOfFile: folder + "/answers.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(!answers.isEmpty && answers.allSatisfy { $0.contains(#""verdict":"error""#) && $0.contains(#""allowed":false"#) })
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as? [String: Any])
        #expect(summary["trade_count"] as? Int == 0 && (summary["veto"] as? [String: Int])?["error"] == answers.count)

        try "[veto]\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\ntemprature = 0\n".write(toFile: folder + "/typo.toml", atomically: true, encoding: .utf8)
        let typo = try peregrine(["veto", "record", "--data", "synthetic:bars=100", "--config", folder + "/typo.toml", "--out", folder + "/x.jsonl"])
        #expect(typo.status != 0 && typo.error.contains("veto.temprature is not a setting"), "\(typo.error)")
    }
}
