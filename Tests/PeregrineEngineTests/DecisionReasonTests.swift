import PeregrineCore
import PeregrineData
@testable import PeregrineEngine
import PeregrineRisk
import Testing

struct DecisionReasonTests {
    /// Every reason a decision can carry: the gate's, the schedule's, the routes', each exit rule
    /// (scaled tiers 1 to 12) and each refusal code.
    static let everyReason: [DecisionReason] = {
        let fixed: [DecisionReason] = [
            .openLong, .closeLong, .openShort, .closeShort, .alreadyLong, .alreadyShort, .buyPending, .sellPending, .signalHold,
            .warmUp, .offSchedule, .order, .restingExit, .killSwitchFlatten, .operatorFlatten,
            .operatorOrder,
        ]
        let exits: [ExitReason] = [.endOfDay, .timeStop, .stopLoss, .trailingStop, .takeProfit, .scaledTrailingStop]
            + (1...12).map { .scaledExit(tier: $0) }
        var reasons = fixed + exits.map(DecisionReason.exit)
        for code in Rejection.Code.allCases where !reasons.contains(DecisionReason(rejection: code)) {
            reasons.append(DecisionReason(rejection: code))
        }
        return reasons
    }()

    /// Fails to compile when a case is added to `DecisionReason` or `ExitReason`, so that
    /// `everyReason` is extended with it.
    static func isListed(_ reason: DecisionReason) -> Bool {
        switch reason {
        case .openLong, .closeLong, .openShort, .closeShort, .alreadyLong, .alreadyShort, .buyPending, .sellPending, .signalHold,
             .warmUp, .offSchedule, .order, .restingExit, .killSwitchFlatten, .operatorFlatten, .operatorOrder, .rejected:
            return everyReason.contains(reason)
        case .exit(let exit):
            switch exit {
            case .endOfDay, .timeStop, .stopLoss, .trailingStop, .takeProfit, .scaledTrailingStop, .scaledExit:
                return everyReason.contains(reason)
            }
        }
    }

    /// Every reason, and scaled tiers up to the largest kept, survive the five-byte form a decision
    /// keeps them in, each with a kind of its own; a stored tier past it is not read as a reason.
    @Test func everyReasonPacksAndUnpacksToItself() {
        let reasons = Self.everyReason + [.exit(.scaledExit(tier: Int(Int32.max)))]
        for reason in reasons {
            #expect(DecisionReason(reason.packed) == reason, "\(reason)")
            var decision = Decision(timestamp: Timestamp(nanoseconds: 0), instrument: InstrumentID(0), action: nil, outcome: .held, reason: .order)
            decision.reason = reason
            #expect(decision.reason == reason && decision.reason.code == reason.code)
        }
        let unscaled = reasons.filter { if case .exit(.scaledExit) = $0 { false } else { true } }
        #expect(Set(unscaled.map(\.packed.kind)).count == unscaled.count)
        // A refusal code is packed as its case's stored byte, which must be its place in `allCases`.
        #expect(MemoryLayout<Rejection.Code>.size == 1)
        for (index, code) in Rejection.Code.allCases.enumerated() {
            #expect(Int(DecisionReason.rejectionIndex(code)) == index && DecisionReason.rejectionCode(UInt8(index)) == code)
        }
        #expect(ExitReason(code: "scaled_exit_\(Int32.max)") == .scaledExit(tier: Int(Int32.max)))
        #expect(ExitReason(code: "scaled_exit_\(Int(Int32.max) + 1)") == nil)
    }

    @Test func everyReasonRoundTripsThroughItsCode() {
        for reason in Self.everyReason {
            #expect(Self.isListed(reason))
            #expect(DecisionReason(code: reason.code) == reason, "\(reason.code)")
        }
        // Every refusal keeps the code it has always been stored under, and reads back as itself.
        for code in Rejection.Code.allCases {
            #expect(DecisionReason(rejection: code).code == code.rawValue)
            #expect(DecisionReason(code: code.rawValue) == DecisionReason(rejection: code))
        }
        for exit in [ExitReason.endOfDay, .timeStop, .stopLoss, .trailingStop, .takeProfit, .scaledTrailingStop, .scaledExit(tier: 7)] {
            #expect(ExitReason(code: exit.code) == exit)
        }
        // 16 fixed reasons, 18 exits, and every refusal code but warm_up and off_schedule (the schedule's own).
        #expect(Self.everyReason.count == 16 + 18 + Rejection.Code.allCases.count - 2)
    }

    @Test func codesAreUnique() {
        let codes = Self.everyReason.map(\.code)
        #expect(Set(codes).count == codes.count, "\(codes.sorted())")
    }

    @Test func stringsThatNameNoReasonAreRefused() {
        for text in ["", "open-long", "OPEN_LONG", "scaled_exit_", "scaled_exit_0", "scaled_exit_01", "scaled_exit_-1",
                     "scaled_exit_x", "scaled_exit_1a", "scaled_exit_٣", "rejected:warm_up"] {
            #expect(DecisionReason(code: text) == nil, "\(text)")
        }
    }

    /// The codes stored runs, decision CSV files and count keys hold: changing one breaks them.
    @Test func storedCodesAreTheseStrings() {
        #expect(DecisionReason.openLong.code == "open_long")
        #expect(DecisionReason.closeShort.code == "close_short")
        #expect(DecisionReason.signalHold.code == "signal_hold")
        #expect(DecisionReason.warmUp.code == "warm_up")
        #expect(DecisionReason.offSchedule.code == "off_schedule")
        #expect(DecisionReason.restingExit.code == "resting_exit")
        #expect(DecisionReason.killSwitchFlatten.code == "kill_switch_flatten")
        #expect(DecisionReason.exit(.endOfDay).code == "end_of_day")
        #expect(DecisionReason.exit(.scaledExit(tier: 2)).code == "scaled_exit_2")
        #expect(DecisionReason.exit(.scaledTrailingStop).code == "scaled_trailing_stop")
        #expect(DecisionReason.rejected(.insufficientBuyingPower).code == "insufficient_buying_power")
        #expect(DecisionReason(rejection: .warmUp) == .warmUp)
        let decision = Decision(timestamp: Timestamp(nanoseconds: 0), instrument: InstrumentID(0), action: nil, outcome: .submitted,
                                reason: .exit(.stopLoss), detail: "close 94 through stop 95", side: .sell, quantity: Quantity(10))
        #expect(DecisionCSV.line(decision, symbol: "ACME", clientOrderID: nil, strategy: "s")
            == "1970-01-01,ACME,order,submitted,stop_loss,sell,10,,close 94 through stop 95,s")
    }
}
