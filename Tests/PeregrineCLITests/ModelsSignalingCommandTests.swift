import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels
import PeregrineTestSupport
import Testing

/// `peregrine models signaling` writes, per bar, what the signal engine gives for that bar: the
/// rows equal the engine run here on the same bars, figure by figure.
@Suite struct ModelsSignalingCommandTests {
    @Test func rowsAreTheEnginesSignals() throws {
        let folder = TestPaths.temporaryFolder()
        let run = try peregrine(["models", "signaling", "--data", "synthetic:bars=700,seed=6,interval=1d", "--out", folder + "/game.csv"])
        #expect(run.status == 0, "\(run.error)")
        let lines = try String(contentsOfFile: folder + "/game.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.contains("x_manipulator") && header.contains("m_trend") && header.contains("minimax_multiplier"))
        var options = SyntheticMarket.Options()
        options.bars = 700
        options.seed = 6
        options.interval = Timestamp.nanosPerDay
        let series = SyntheticMarket(options: options).generate()
        var engine = SignalEngine()
        var expected: [(Bar, TradeSignal)] = []
        for index in 0..<series.count {
            if let signal = engine.update(series[index]) { expected.append((series[index], signal)) }
        }
        #expect(expected.count > 100)
        #expect(lines.count - 1 == expected.count)
        var games = 0
        for (line, (bar, signal)) in zip(lines.dropFirst(), expected) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func column(_ name: String) -> String { cells[header.firstIndex(of: name)!] }
            #expect(column("timestamp") == bar.timestamp.compactDescription)
            #expect(column("direction") == signal.direction.rawValue)
            #expect(Double(column("probability_of_profit")) == signal.probabilityOfProfit)
            #expect(Double(column("posterior_trend")) == signal.typePosterior[0])
            #expect(Double(column("bollinger_z")) == signal.bollingerZ)
            if let game = signal.game {
                games += 1
                #expect(Double(column("x_exhausted")) == game.equilibriumPayoffs[3])
                #expect(Double(column("m_range")) == game.deviationPayoffs[1])
                #expect(column("survivors") == game.survivors.map(\.description).joined(separator: "|"))
                #expect(Double(column("minimax_multiplier")) == game.minimaxMultiplier)
            } else {
                #expect(column("x_trend").isEmpty && column("survivors").isEmpty)
            }
        }
        #expect(games > 10)
    }
}
