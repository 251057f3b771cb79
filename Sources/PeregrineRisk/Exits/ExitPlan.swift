import PeregrineCore

/// Which exits protect an open position, all evaluated on each bar's close and executed as market
/// orders at the next bar's open (the kernel's no-look-ahead rule). A stop that must fill inside
/// the bar at its own price belongs in a bracket or OCO order instead; these exits are the rules a
/// position is managed by between bars.
public struct ExitPlan: Sendable, Equatable {
    /// A distance from the entry price.
    public enum Distance: Sendable, Equatable {
        case percent(Double)
        case price(Double)
        /// Multiples of the average true range at entry.
        case atr(Double)
    }

    public enum Trailing: Sendable, Equatable {
        /// Below the highest close since entry (above the lowest, for shorts) by a percentage.
        case percent(Double)
        /// By a multiple of the current ATR.
        case atr(Double)
        /// Chandelier: the highest high of the last `lookback` bars minus `multiple` ATRs.
        case chandelier(multiple: Double, lookback: Int)
    }

    /// Partial exits at multiples of the initial risk R (entry to stop), the remainder trailed.
    public struct Scaled: Sendable, Equatable {
        public var tiers: [(fraction: Double, rMultiple: Double)]
        public var trailRemainderATR: Double

        /// One third at 1R, one third at 2R, the rest trailed at 1.5 ATR.
        public init(tiers: [(fraction: Double, rMultiple: Double)] = [(1.0 / 3, 1), (1.0 / 3, 2)], trailRemainderATR: Double = 1.5) {
            self.tiers = tiers
            self.trailRemainderATR = trailRemainderATR
        }

        public static func == (a: Scaled, b: Scaled) -> Bool {
            a.trailRemainderATR == b.trailRemainderATR && a.tiers.elementsEqual(b.tiers) { $0 == $1 }
        }
    }

    /// Flatten everything at a local time each session (earlier on early-close days).
    public struct EndOfDay: Sendable, Equatable {
        /// Minute of the day, exchange time (15:53 = 953).
        public var minute = 15 * 60 + 53
        public var zone = ZoneRule.usEastern
        /// On an early-close day, flatten this many minutes before the early close.
        public var minutesBeforeClose = 7
        public var earlyCloses = EarlyCloses()
        public init() {}

        /// The flatten minute on `date`.
        public func flattenMinute(on date: CivilDate) -> Int {
            earlyCloses.earlyClose(on: date).map { $0 - minutesBeforeClose } ?? minute
        }
    }

    public var stopLoss: Distance?
    public var takeProfit: Distance?
    public var trailing: Trailing?
    public var timeStopBars: Int?
    public var scaled: Scaled?
    public var endOfDay: EndOfDay?
    /// ATR period for the ATR-based rules.
    public var atrPeriod = 14
    /// Stop-loss and take-profit rest at the venue as orders from the entry on (a stop and a limit,
    /// one canceling the other), so they fill inside a bar at their level, or at the open when it
    /// gaps through, instead of being checked against the close and sent at the next open. A
    /// trailing stop rests the same way: the resting stop is the tighter of the stop-loss and the
    /// trailing level (and, once the scaled exit's tiers are taken, its remainder's trail), moved
    /// after each bar that tightens it (never loosened). The scaled tiers rest as limit orders, each
    /// tier's share paired with the stop (an OCO), the rest of the position under the stop and the
    /// take-profit, if any.
    public var resting = false

    /// Whether the resting stop can move after the entry (a trailing stop or a scaled remainder).
    public var movesRestingStop: Bool { resting && (trailing != nil || scaled != nil) }

    public init(stopLoss: Distance? = nil, takeProfit: Distance? = nil, trailing: Trailing? = nil, timeStopBars: Int? = nil,
                scaled: Scaled? = nil, endOfDay: EndOfDay? = nil) {
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.trailing = trailing
        self.timeStopBars = timeStopBars
        self.scaled = scaled
        self.endOfDay = endOfDay
    }
}
