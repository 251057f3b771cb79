import PeregrineCore
import PeregrineRisk

/// A reason in five bytes, as a decision keeps it: a kind (each case, each exit rule and each
/// refusal code its own number) and a scaled exit's tier. The enum itself takes ten bytes with an
/// eight-byte alignment for that tier, which would make every kept decision 80 bytes, not 64.
extension DecisionReason {
    struct Packed: Hashable {
        var value: Int32
        var kind: UInt8
    }

    private static let firstExit: UInt8 = 32
    private static let scaledExitKind: UInt8 = 48
    private static let firstRejection: UInt8 = 64
    /// A refusal code's number is its case's: a case-only enum is stored as the case's index in
    /// declaration order, which is `allCases`' order (`DecisionReasonTests` checks both). Read as
    /// a byte rather than looked up: `allCases` makes a new array at each use and a dictionary
    /// hashes the code's text, on every refused signal's path.
    private static let rejectionCount = Rejection.Code.allCases.count

    static func rejectionIndex(_ code: Rejection.Code) -> UInt8 { unsafeBitCast(code, to: UInt8.self) }

    static func rejectionCode(_ index: UInt8) -> Rejection.Code {
        precondition(Int(index) < rejectionCount, "no refusal code \(index)")
        return unsafeBitCast(index, to: Rejection.Code.self)
    }

    /// Switches rather than tables: a decision is packed on every order's path.
    var packed: Packed {
        let kind: UInt8
        switch self {
        case .openLong: kind = 0
        case .closeLong: kind = 1
        case .openShort: kind = 2
        case .closeShort: kind = 3
        case .alreadyLong: kind = 4
        case .alreadyShort: kind = 5
        case .buyPending: kind = 6
        case .sellPending: kind = 7
        case .signalHold: kind = 8
        case .warmUp: kind = 9
        case .offSchedule: kind = 10
        case .order: kind = 11
        case .restingExit: kind = 12
        case .killSwitchFlatten: kind = 13
        case .operatorFlatten: kind = 14
        case .operatorOrder: kind = 15
        case .exit(let exit):
            switch exit {
            case .endOfDay: kind = Self.firstExit
            case .timeStop: kind = Self.firstExit + 1
            case .stopLoss: kind = Self.firstExit + 2
            case .trailingStop: kind = Self.firstExit + 3
            case .takeProfit: kind = Self.firstExit + 4
            case .scaledTrailingStop: kind = Self.firstExit + 5
            case .scaledExit(let tier):
                // Tiers count the entries of a plan's tier list, and stored codes past this are refused.
                guard let value = Int32(exactly: tier) else { preconditionFailure("scaled exit tier \(tier) is beyond \(Int32.max)") }
                return Packed(value: value, kind: Self.scaledExitKind)
            }
        case .rejected(let code):
            kind = Self.firstRejection + Self.rejectionIndex(code)
        }
        return Packed(value: 0, kind: kind)
    }

    init(_ packed: Packed) {
        switch packed.kind {
        case 0: self = .openLong
        case 1: self = .closeLong
        case 2: self = .openShort
        case 3: self = .closeShort
        case 4: self = .alreadyLong
        case 5: self = .alreadyShort
        case 6: self = .buyPending
        case 7: self = .sellPending
        case 8: self = .signalHold
        case 9: self = .warmUp
        case 10: self = .offSchedule
        case 11: self = .order
        case 12: self = .restingExit
        case 13: self = .killSwitchFlatten
        case 14: self = .operatorFlatten
        case 15: self = .operatorOrder
        case Self.firstExit: self = .exit(.endOfDay)
        case Self.firstExit + 1: self = .exit(.timeStop)
        case Self.firstExit + 2: self = .exit(.stopLoss)
        case Self.firstExit + 3: self = .exit(.trailingStop)
        case Self.firstExit + 4: self = .exit(.takeProfit)
        case Self.firstExit + 5: self = .exit(.scaledTrailingStop)
        case Self.scaledExitKind: self = .exit(.scaledExit(tier: Int(packed.value)))
        default: self = .rejected(Self.rejectionCode(packed.kind - Self.firstRejection))
        }
    }
}
