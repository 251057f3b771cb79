import PeregrineCore

/// Volume-weighted average of the typical price (high + low + close) / 3, anchored at each session:
/// it restarts on the first bar of every local day in `zone`. Nil while the session has no volume.
public struct SessionVWAP: Sendable {
    public let zone: ZoneRule
    private var day: Int64?
    private var priceVolume = 0.0
    private var volume = 0.0

    public init(zone: ZoneRule = .fixed(seconds: 0)) { self.zone = zone }

    @discardableResult
    public mutating func update(_ bar: Bar) -> Double? {
        let local = bar.timestamp.nanoseconds + zone.offsetSeconds(at: bar.timestamp) * Timestamp.nanosPerSecond
        let today = local.floorDivided(by: Timestamp.nanosPerDay)
        if today != day {
            day = today
            priceVolume = 0
            volume = 0
        }
        let typical = (bar.high.doubleValue + bar.low.doubleValue + bar.close.doubleValue) / 3
        priceVolume += typical * bar.volume.doubleValue
        volume += bar.volume.doubleValue
        return volume > 0 ? priceVolume / volume : nil
    }
}
