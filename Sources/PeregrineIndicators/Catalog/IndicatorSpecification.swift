import PeregrineCore

/// One indicator with its parameters, parsed from `name:p1,p2` (`sma:20`, `bbands:20,2`,
/// `macd:12,26,9`), and computed over a whole series as named columns: the batch form of the
/// streaming indicators, with identical numbers because it runs them.
public struct IndicatorSpecification: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case sma, ema, wma, dema, tema, rsi, bbands, macd, atr, adx, stoch, roc, mom, stddev, zscore, obv, vwap,
             donchian, keltner
    }

    public var kind: Kind
    public var parameters: [Double]

    /// Defaults and arity per indicator.
    static let defaults: [Kind: [Double]] = [
        .sma: [20], .ema: [20], .wma: [20], .dema: [20], .tema: [20], .rsi: [14], .bbands: [20, 2],
        .macd: [12, 26, 9], .atr: [14], .adx: [14], .stoch: [14, 3, 3], .roc: [10], .mom: [10], .stddev: [20],
        .zscore: [20], .obv: [], .vwap: [], .donchian: [20], .keltner: [20, 2],
    ]

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(ParseError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let kind = Kind(rawValue: parts[0].lowercased()) else {
            throw ParseError(description: "unknown indicator '\(parts[0])'; known: "
                + Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let defaults = Self.defaults[kind]!
        var values = defaults
        if parts.count == 2 {
            let given = parts[1].split(separator: ",").map(String.init)
            guard given.count <= defaults.count else {
                throw ParseError(description: "\(kind.rawValue) takes \(defaults.count) parameter(s), got '\(parts[1])'")
            }
            for (index, item) in given.enumerated() {
                guard let number = Double(item), number.isFinite, number > 0 else {
                    throw ParseError(description: "\(kind.rawValue): '\(item)' is not a positive number")
                }
                // The last parameter of bbands and keltner is a width; all others are whole periods.
                let isWidth = (kind == .bbands || kind == .keltner) && index == 1
                if !isWidth && (number != number.rounded() || number > 100_000) {
                    throw ParseError(description: "\(kind.rawValue): period '\(item)' must be a whole number up to 100000")
                }
                values[index] = number
            }
        }
        self.kind = kind
        self.parameters = values
    }

    private func period(_ index: Int) -> Int { Int(parameters[index]) }

    private var suffix: String {
        parameters.isEmpty ? "" : "_" + parameters.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }
            .joined(separator: "_")
    }

    /// Output column names, e.g. `bb_upper_20_2`, `bb_middle_20_2`, `bb_lower_20_2`.
    public var columnNames: [String] {
        switch kind {
        case .bbands: return ["bb_upper", "bb_middle", "bb_lower"].map { $0 + suffix }
        case .macd: return ["macd", "macd_signal", "macd_hist"].map { $0 + suffix }
        case .adx: return ["adx", "plus_di", "minus_di"].map { $0 + suffix }
        case .stoch: return ["stoch_k", "stoch_d"].map { $0 + suffix }
        case .donchian: return ["donchian_upper", "donchian_middle", "donchian_lower"].map { $0 + suffix }
        case .keltner: return ["keltner_upper", "keltner_middle", "keltner_lower"].map { $0 + suffix }
        default: return [kind.rawValue + suffix]
        }
    }

    /// Computes the columns over every bar; nil during warm-up.
    public func compute(_ series: BarSeries, sessionZone: ZoneRule = .fixed(seconds: 0)) -> [[Double?]] {
        let count = series.count
        var columns = Array(repeating: [Double?](repeating: nil, count: count), count: columnNames.count)
        func run<State>(_ initial: State, _ step: (inout State, Bar) -> [Double?]) {
            var state = initial
            for index in 0..<count {
                let values = step(&state, series[index])
                for (column, value) in values.enumerated() { columns[column][index] = value }
            }
        }
        switch kind {
        case .sma: run(SimpleMovingAverage(period: period(0))) { [$0.update($1.close)] }
        case .ema: run(ExponentialMovingAverage(period: period(0))) { [$0.update($1.close)] }
        case .wma: run(WeightedMovingAverage(period: period(0))) { [$0.update($1.close)] }
        case .dema: run(DoubleExponentialMovingAverage(period: period(0))) { [$0.update($1.close)] }
        case .tema: run(TripleExponentialMovingAverage(period: period(0))) { [$0.update($1.close)] }
        case .rsi: run(RelativeStrengthIndex(period: period(0))) { [$0.update($1.close)] }
        case .bbands:
            run(BollingerBands(period: period(0), width: parameters[1])) {
                let v = $0.update($1.close)
                return [v?.upper, v?.middle, v?.lower]
            }
        case .macd:
            run(MovingAverageConvergenceDivergence(fast: period(0), slow: period(1), signal: period(2))) {
                let v = $0.update($1.close)
                return [v?.line, v?.signal, v?.histogram]
            }
        case .atr: run(AverageTrueRange(period: period(0))) { [$0.update($1)] }
        case .adx:
            run(DirectionalMovement(period: period(0))) {
                let v = $0.update($1)
                return [v?.adx, v?.plusDI, v?.minusDI]
            }
        case .stoch:
            run(Stochastic(fastK: period(0), slowK: period(1), slowD: period(2))) {
                let v = $0.update($1)
                return [v?.k, v?.d]
            }
        case .roc: run(RateOfChange(period: period(0))) { [$0.update($1.close)] }
        case .mom: run(Momentum(period: period(0))) { [$0.update($1.close)] }
        case .stddev: run(RollingStandardDeviation(period: period(0))) { [$0.update($1.close)?.deviation] }
        case .zscore: run(ZScore(period: period(0))) { [$0.update($1.close)] }
        case .obv: run(OnBalanceVolume()) { [$0.update($1)] }
        case .vwap: run(SessionVWAP(zone: sessionZone)) { [$0.update($1)] }
        case .donchian:
            run(DonchianChannel(period: period(0))) {
                let v = $0.update($1)
                return [v?.upper, v?.middle, v?.lower]
            }
        case .keltner:
            run(KeltnerChannel(period: period(0), width: parameters[1])) {
                let v = $0.update($1)
                return [v?.upper, v?.middle, v?.lower]
            }
        }
        return columns
    }
}
