import PeregrineCore

/// A non-trade activity of an option event as Alpaca reports it at `GET /v2/account/activities`:
/// an exercise (OPEXC), an assignment (OPASN), an expiry (OPEXP), each with the contracts it took
/// from the position (signed as the position's change), and the stock trade it caused (OPTRD,
/// shares and strike, cash moved).
public struct OptionActivity: Sendable {
    public enum Kind: String, Sendable {
        case exercise = "OPEXC"
        case assignment = "OPASN"
        case expiry = "OPEXP"
        case trade = "OPTRD"

        public var description: String {
            switch self {
            case .exercise: return "Option Exercise"
            case .assignment: return "Option Assignment"
            case .expiry: return "Option Expiry"
            case .trade: return "Option Trade"
            }
        }
    }

    public var number: Int
    public var kind: Kind
    public var date: CivilDate
    public var symbol: String
    /// Contracts for an option event, shares for a trade; signed.
    public var quantity: Quantity
    public var price: Price?
    public var netAmount: Money
}
