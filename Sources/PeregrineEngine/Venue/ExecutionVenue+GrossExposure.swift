import PeregrineCore

extension ExecutionVenue {
    /// The gross exposure of `positions` (one per instrument) with this venue's working orders, at its last
    /// closes: per instrument the larger of |position + working buys| and |position - working sells|, so
    /// an entry sent but not yet filled counts. nil when a held instrument has no close yet, or the sum
    /// leaves the books' range.
    public func grossExposure(positions: [Quantity]) -> Money? {
        var total = Money.zero
        for (index, position) in positions.enumerated() {
            let instrument = InstrumentID(index)
            let buys = pendingQuantity(instrument, side: .buy).units, sells = pendingQuantity(instrument, side: .sell).units
            let (up, upOverflow) = position.units.addingReportingOverflow(buys)
            let (down, downOverflow) = position.units.subtractingReportingOverflow(sells)
            guard !upOverflow, !downOverflow else { return nil }
            let largest = max(up.magnitude, down.magnitude)
            guard largest > 0 else { continue }
            guard largest <= UInt128(Int128.max), let close = lastClose(instrument),
                  let value = close.magnitudeValue(of: Quantity(units: Int128(largest))) else { return nil }
            // Both terms inside the books' range, so the sum fits 128 bits; it is kept inside the range.
            total += value
            guard total.isInRange else { return nil }
        }
        return total
    }
}
