import Foundation
import PeregrineCore
import PeregrineRisk
import PeregrineStorage
import PeregrineTestSupport
import Testing

@Suite struct RiskResumeTests {
    /// A kill switch tripped by a 25% fall, saved in a store as a trading run saves it: `risk status`
    /// shows it, `risk resume` releases one state by name (the other stays halted) and then all, each
    /// transition carrying the person's name.
    @Test func aPersonResumesAfterTheKillSwitch() throws {
        let path = TestPaths.temporaryFolder() + "/risk.sqlite"
        let store = try TradingStore(path: path)
        var limits = RiskLimits.none
        limits.maxDrawdown = 0.2
        for name in ["sma-cross", "portfolio"] {
            let engine = RiskEngine(limits: limits, symbols: ["SYN"], strategy: name)
            _ = engine.onEquity(100_000, sessionDay: 1, at: Timestamp(nanoseconds: 1))
            guard case .flattenAll = engine.onEquity(75_000, sessionDay: 1, at: Timestamp(nanoseconds: 2)) else {
                Issue.record("a 25% fall must trip a 20% kill switch")
                return
            }
            try store.saveState("risk:" + name, json: String(decoding: try JSONEncoder().encode(engine.state), as: UTF8.self),
                                at: Timestamp(nanoseconds: 2))
        }
        func state(_ name: String) throws -> RiskState {
            try JSONDecoder().decode(RiskState.self, from: Data(try #require(try store.loadState("risk:" + name)).utf8))
        }
        // The bot was also paused from the control API; resuming ends that too, for the named bot only.
        try store.saveState("control:sma-cross:entries", json: "paused", at: Timestamp(nanoseconds: 2))
        try store.saveState("control:portfolio:entries", json: "paused", at: Timestamp(nanoseconds: 2))
        let status = try peregrine(["risk", "status", "--store", path])
        #expect(status.status == 0 && status.output.contains("halted (kill switch engaged)") && status.output.contains("kill_switch: drawdown 25.0% from peak"),
                "\(status.output)")
        let one = try peregrine(["risk", "resume", "--store", path, "--strategy", "sma-cross", "--by", "alice"])
        #expect(one.status == 0 && one.output.contains("sma-cross: halted (kill switch engaged) -> active, resumed by alice"), "\(one.output)")
        #expect(try !state("sma-cross").killSwitchEngaged && state("sma-cross").account.state == .active)
        #expect(try state("sma-cross").account.transitions.last?.reason == "resumed by alice" && state("sma-cross").equityPeak == nil)
        #expect(try state("portfolio").killSwitchEngaged)
        #expect(one.output.contains("sma-cross: paused -> entries allowed, resumed by alice"))
        #expect(try store.loadState("control:sma-cross:entries") == "active" && store.loadState("control:portfolio:entries") == "paused")
        let all = try peregrine(["risk", "resume", "--store", path, "--all", "--by", "bob"])
        #expect(try all.status == 0 && state("portfolio").account.state == .active, "\(all.output)")
        #expect(try store.loadState("control:portfolio:entries") == "active")
        let unnamed = try peregrine(["risk", "resume", "--store", path, "--all"])
        #expect(unnamed.status != 0 && unnamed.error.contains("--by"), "\(unnamed.error)")
        let unknown = try peregrine(["risk", "resume", "--store", path, "--strategy", "nope", "--by", "bob"])
        #expect(unknown.status != 0 && unknown.error.contains("no risk state risk:nope"), "\(unknown.error)")
        let both = try peregrine(["risk", "resume", "--store", path, "--strategy", "x", "--all", "--by", "bob"])
        #expect(both.status != 0 && both.error.contains("--strategy NAME or --all"), "\(both.error)")
    }
}
