import PeregrineCore

/// How the simulated venue fills orders. Every field has an honest default.
public struct VenueConfiguration: Hashable, Sendable {
    public var fillTiming: FillTiming = .nextOpen
    public var bracketAmbiguity: BracketAmbiguity = .stopFirst
    public var commission: CommissionModel = .none
    public var slippage: SlippageModel = .none
    /// Largest share of a bar's volume one order may take; the rest carries to later bars. `nil`: no cap.
    public var maxVolumeShare: Rate?
    /// Session hours for day, opening and closing orders; `nil` takes each instrument's asset-class default.
    public var calendar: TradingCalendar?

    public init(fillTiming: FillTiming = .nextOpen, bracketAmbiguity: BracketAmbiguity = .stopFirst,
                commission: CommissionModel = .none, slippage: SlippageModel = .none,
                maxVolumeShare: Rate? = nil, calendar: TradingCalendar? = nil) {
        self.fillTiming = fillTiming
        self.bracketAmbiguity = bracketAmbiguity
        self.commission = commission
        self.slippage = slippage
        self.maxVolumeShare = maxVolumeShare
        self.calendar = calendar
    }
}
