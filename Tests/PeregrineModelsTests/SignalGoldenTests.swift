import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels
import Testing

/// Speed work on the signal path must not change a single number. Each case feeds seeded daily
/// series (as `peregrine-bench --signals` does) through a `SignalEngine` and writes every field of
/// every signal as text (doubles in their shortest round-trip form, so equal text is equal bits).
/// The count and a 64-bit FNV-1a digest of all lines, and every 40th line in full, must equal
/// `Tests/Fixtures/signals-golden`, which was written by the engine before that work.
/// `PEREGRINE_WRITE_GOLDEN=1` rewrites the files: only for a change meant to alter signals, said so in
/// its commit.
@Suite struct SignalGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/signals-golden").path
    static let sampleEvery = 40

    /// Twelve series of 700 daily bars: the regime model's first fit after 252 returns and its
    /// refits every 63 bars, and (estimated form) the profiles' first estimate and refits every 50 bars.
    @Test(arguments: SignalEngine.GameForm.allCases) func everySignalAsBefore(form: SignalEngine.GameForm) throws {
        var settings = SignalEngine.Settings()
        settings.game = form
        var lines: [String] = []
        for k in 0..<12 {
            var options = SyntheticMarket.Options()
            options.bars = 700
            options.seed = UInt64(1_000 + k)
            options.interval = Timestamp.nanosPerDay
            options.symbol = "S\(k)"
            let series = SyntheticMarket(options: options).generate()
            var engine = SignalEngine(settings: settings)
            for i in 0..<series.count {
                if let signal = engine.update(series[i]) { lines.append("S\(k) \(i) " + Self.describe(signal)) }
            }
        }
        #expect(lines.count > 5_000, "too few signals to guard the path: \(lines.count)")
        if form == .estimated { #expect(lines.contains { $0.contains("form=estimated") }, "the estimated form never played") }
        let played = lines.filter { !$0.contains("game=-") }.count
        #expect(played > lines.count / 2, "the game played only \(played) times")
        let header = "signals \(lines.count) digest \(String(Self.digest(lines), radix: 16))"
        let sample = stride(from: 0, to: lines.count, by: Self.sampleEvery).map { lines[$0] }
        let text = ([header] + sample).joined(separator: "\n") + "\n"
        let path = Self.fixtures + "/\(form.rawValue).txt"
        if ProcessInfo.processInfo.environment["PEREGRINE_WRITE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.fixtures, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(expected.first == header, "count or digest of all signals differs")
        for (index, (actual, golden)) in zip(sample, expected.dropFirst()).enumerated() where actual != golden {
            Issue.record("sampled signal \(index * Self.sampleEvery) differs:\n  now:    \(actual)\n  golden: \(golden)")
            break
        }
        #expect(sample.count == expected.count - 1, "sampled lines: \(sample.count) against \(expected.count - 1)")
    }

    static func describe(_ s: TradeSignal) -> String {
        func list(_ values: [Double]) -> String { values.map { "\($0)" }.joined(separator: ",") }
        var text = "\(s.direction.rawValue) conf=\(s.confidence) pop=\(s.probabilityOfProfit) up=\(s.probabilityUp)"
            + " path=\(list(s.expectedReturnPath)) types=\(list(s.typePosterior))"
            + " regime=\(s.regimeProbabilities.map(list) ?? "-") rev=\(s.reversalProbability) z=\(s.bollingerZ)"
            + " reason=\(s.reason) target=\(s.priceTarget) kind=\(s.kind) form=\(s.form.rawValue)"
        if let g = s.game {
            text += " game=x:\(list(g.equilibriumPayoffs));m:\(list(g.deviationPayoffs));"
                + "survivors:\(g.survivors.map(\.description).joined(separator: "+"));"
                + "updated:\(list(g.updatedPosterior));edge:\(g.expectedEdge);size:\(g.minimaxMultiplier)"
        } else {
            text += " game=-"
        }
        return text
    }

    /// FNV-1a, 64 bits, over the lines' UTF-8 bytes with a newline after each.
    static func digest(_ lines: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for line in lines {
            for byte in line.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0x0a
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
