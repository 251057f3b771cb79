import PeregrineCore

/// A seeded synthetic market for demos, tests and benchmarks: geometric Brownian motion whose drift
/// and volatility switch between bull, calm and bear regimes (a Markov chain stepped once a day),
/// with occasional jumps, overnight and intrabar gaps, wicks, a U-shaped intraday volume profile,
/// and timestamps only inside the exchange's sessions on weekdays. Same options, same bars.
public struct SyntheticMarket: Sendable {
    public struct Options: Hashable, Sendable {
        public var symbol = "SYN"
        public var bars = 100_000
        public var seed: UInt64 = 42
        /// Bar length in nanoseconds; one day or more gives daily bars.
        public var interval: Int64 = Timestamp.nanosPerMinute
        public var start = CivilDate(year: 2015, month: 1, day: 2)
        public var startPrice = 100.0
        /// Annual drift and volatility of the calm regime.
        public var drift = 0.05
        public var volatility = 0.20
        public var regimes = true
        /// Expected jumps per year; each moves the price by a normal log-return.
        public var jumpsPerYear = 3.0
        public var jumpMean = -0.01
        public var jumpVolatility = 0.04
        public var tick = Price(units: 10_000_000)
        public var calendar = TradingCalendar.usEquity

        public init() {}

        /// Parses `bars=1000000,seed=7,interval=5min,start=2020-01-02,price=50,drift=0.05,vol=0.2,`
        /// `regimes=false,jumps=0,tick=0.0001,symbol=XYZ`; every key is optional.
        public init(specification: String) throws(SyntheticMarketError) {
            self.init()
            for item in specification.split(separator: ",") where !item.isEmpty {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw SyntheticMarketError("'\(item)' is not key=value") }
                let (key, value) = (parts[0], parts[1])
                func number() throws(SyntheticMarketError) -> Double {
                    guard let v = Double(value), v.isFinite else {
                        throw SyntheticMarketError("\(key)=\(value): expected a number")
                    }
                    return v
                }
                switch key {
                case "bars":
                    guard let n = Int(value.replacingUnderscores), n > 0 else {
                        throw SyntheticMarketError("bars=\(value): expected a positive whole number")
                    }
                    bars = n
                case "seed":
                    guard let s = UInt64(value) else { throw SyntheticMarketError("seed=\(value): expected a whole number ≥ 0") }
                    seed = s
                case "interval":
                    guard let nanos = SyntheticMarket.parseInterval(value) else {
                        throw SyntheticMarketError("interval=\(value): expected 1min, 5min, 15min, 30min, 1h or 1d")
                    }
                    interval = nanos
                case "start":
                    guard let date = CivilDate(iso: value) else { throw SyntheticMarketError("start=\(value): expected a date YYYY-MM-DD from \(Timestamp.earliestDate) to \(Timestamp.latestDate)") }
                    start = date
                case "price":
                    startPrice = try number()
                    guard startPrice > 0, startPrice <= 1e9 else {
                        throw SyntheticMarketError("price=\(value): expected a positive price up to 1000000000")
                    }
                case "drift": drift = try number()
                case "vol":
                    volatility = try number()
                    guard volatility > 0 else { throw SyntheticMarketError("vol must be positive") }
                case "regimes":
                    guard let flag = Bool(value) else { throw SyntheticMarketError("regimes=\(value): expected true or false") }
                    regimes = flag
                case "jumps":
                    jumpsPerYear = try number()
                    guard jumpsPerYear >= 0 else { throw SyntheticMarketError("jumps must be ≥ 0") }
                case "tick":
                    guard let t = Price(value), t.units > 0 else { throw SyntheticMarketError("tick=\(value): expected a positive price") }
                    tick = t
                case "symbol":
                    guard !value.isEmpty else { throw SyntheticMarketError("symbol must not be empty") }
                    symbol = value
                case "calendar":
                    guard let c = TradingCalendar(specification: value) else {
                        throw SyntheticMarketError("calendar=\(value): expected us-equity, 24x7 or HH:MM-HH:MM@ZONE")
                    }
                    calendar = c
                default:
                    throw SyntheticMarketError("unknown option '\(key)'; known: bars, seed, interval, start, price, "
                        + "drift, vol, regimes, jumps, tick, symbol, calendar")
                }
            }
            // Calendar days the bars need at most (weekends included), so the last one stays a date a
            // timestamp holds.
            let minutesPerDay = max(1, calendar.closeMinute - calendar.openMinute)
            let perDay = interval >= Timestamp.nanosPerDay ? 1 : max(1, minutesPerDay / max(1, Int(interval / Timestamp.nanosPerMinute)))
            let days = (bars / perDay + 1) * 7 / 5 + 3
            guard days <= Timestamp.latestDate.daysSinceEpoch - start.daysSinceEpoch else {
                throw SyntheticMarketError("bars=\(bars) from start=\(start) would run past \(Timestamp.latestDate), "
                    + "the last date a timestamp holds")
            }
        }
    }

    public let options: Options

    public init(options: Options = Options()) { self.options = options }

    /// A generated series with the other options at their defaults, e.g. daily bars for a test or demo.
    public static func series(bars: Int, seed: UInt64, interval: Int64 = Timestamp.nanosPerMinute,
                              symbol: String = "SYN") -> BarSeries {
        var options = Options()
        options.bars = bars
        options.seed = seed
        options.interval = interval
        options.symbol = symbol
        return SyntheticMarket(options: options).generate()
    }

    static func parseInterval(_ text: String) -> Int64? {
        let table: [String: Int64] = [
            "1min": 1, "1m": 1, "5min": 5, "5m": 5, "15min": 15, "15m": 15, "30min": 30, "30m": 30,
            "1h": 60, "60min": 60, "1d": 1440, "1day": 1440, "day": 1440, "daily": 1440,
        ]
        return table[text].map { $0 * Timestamp.nanosPerMinute }
    }

    /// Generates the bars.
    public func generate() -> BarSeries {
        let o = options
        var rng = SeededGenerator(seed: o.seed)
        let instrument = Instrument(symbol: o.symbol, assetClass: o.calendar == .continuous ? .crypto : .usEquity,
                                    tickSize: o.tick, lotSize: Quantity(1))
        var series = BarSeries(instrument: instrument)
        series.reserveCapacity(o.bars)

        let daily = o.interval >= Timestamp.nanosPerDay
        let intervalMinutes = Int(o.interval / Timestamp.nanosPerMinute)
        let sessionMinutes = o.calendar.closeMinute - o.calendar.openMinute
        let barsPerDay = daily ? 1 : max(1, sessionMinutes / max(1, intervalMinutes))
        let tradingDaysPerYear = o.calendar == .continuous ? 365.0 : 252.0
        let dt = 1.0 / (tradingDaysPerYear * Double(barsPerDay))
        let weekdaysOnly = o.calendar != .continuous

        // Regime multipliers: (drift shift, volatility factor); persistence per day.
        let regimeDrift = [0.20, 0.0, -0.40]
        let regimeVol = [0.8, 0.7, 1.6]
        let stay = 0.985
        var regime = 1

        let tickUnits = o.tick.units
        func onTick(_ value: Double) -> Int64 {
            let units = (value * Double(Price.scale) / Double(tickUnits)).rounded() * Double(tickUnits)
            // A walk that leaves the price grid stays at its edge rather than trapping.
            guard units < 9.2e18 else { return Int64.max - Int64.max % tickUnits }
            return max(tickUnits, Int64(units))
        }

        var day = o.start
        var logClose = Foundationless.log(o.startPrice)
        var produced = 0
        var firstDay = true
        while produced < o.bars {
            if weekdaysOnly {
                while day.weekday == 0 || day.weekday == 6 { day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1) }
            }
            if o.regimes && !firstDay && rng.nextUniform() > stay {
                regime = (regime + 1 + Int(rng.next() % 2)) % 3
            }
            let mu = o.drift + (o.regimes ? regimeDrift[regime] : 0)
            let sigma = o.volatility * (o.regimes ? regimeVol[regime] : 1)
            let sd = sigma * dt.squareRoot()
            let drift = (mu - 0.5 * sigma * sigma) * dt
            let jumpProbability = o.jumpsPerYear * dt
            // The zone's offset does not change inside a session, so convert the open once a day.
            let sessionOpen = daily ? Timestamp(date: day).nanoseconds
                : o.calendar.zone.utc(fromLocalSeconds: day.daysSinceEpoch * 86_400 + Int64(o.calendar.openMinute) * 60).nanoseconds
            for k in 0..<barsPerDay where produced < o.bars {
                let timestamp = sessionOpen + Int64(k) * o.interval
                let gapScale = k == 0 && !firstDay ? 0.25 * sigma / tradingDaysPerYear.squareRoot() : 0.15 * sd
                let gap = produced == 0 ? 0 : rng.nextNormal() * gapScale
                var move = drift + sd * rng.nextNormal()
                if jumpProbability > 0 && rng.nextUniform() < jumpProbability {
                    move += rng.nextNormal(mean: o.jumpMean, standardDeviation: o.jumpVolatility)
                }
                let logOpen = logClose + gap
                logClose = logOpen + move
                let open = onTick(Foundationless.exp(logOpen))
                let close = onTick(Foundationless.exp(logClose))
                let upper = Foundationless.exp(max(logOpen, logClose) + abs(rng.nextNormal()) * 0.5 * sd)
                let lower = Foundationless.exp(min(logOpen, logClose) - abs(rng.nextNormal()) * 0.5 * sd)
                let high = max(onTick(upper), max(open, close))
                let low = min(onTick(lower), min(open, close))
                let position = barsPerDay > 1 ? Double(k) / Double(barsPerDay - 1) : 0.5
                let profile = 1 + 2 * (2 * position - 1) * (2 * position - 1)
                let shares = max(1, (Foundationless.exp(9.5 + 0.6 * rng.nextNormal()) * profile
                    * (daily ? 390 : Double(intervalMinutes))).rounded())
                series.append(timestamp: timestamp, open: open, high: high, low: low, close: close,
                              volume: Int128(shares) * Quantity.scale)
                produced += 1
            }
            firstDay = false
            day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1)
        }
        return series
    }
}

/// An option of the synthetic market that cannot be used.
public struct SyntheticMarketError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "synthetic data: \(message)" }
}

private extension String {
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
