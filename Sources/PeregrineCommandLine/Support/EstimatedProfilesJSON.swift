import Foundation
import PeregrineModels

/// The estimated market-type profiles as JSON, by name rather than by index, so a reader sees which
/// figure belongs to which type, observable, signal kind and regime.
enum EstimatedProfilesJSON {
    struct TypeProfile: Encodable {
        var labelledBars: Int
        var baseRate: Double
        var observables: [String: [String: Double]]
        var signalKind: [String: Double]
        var damping: [String: Double]
        var persistence: [String: Double]
        var huntingCost: Double
        var liquidityProfit: Double
        var manipulatorPayoff: Double

        enum CodingKeys: String, CodingKey {
            case labelledBars = "labelled_bars", baseRate = "base_rate", observables, signalKind = "signal_kind", damping, persistence
            case huntingCost = "hunting_cost", liquidityProfit = "liquidity_profit", manipulatorPayoff = "manipulator_payoff"
        }
    }

    struct Document: Encodable {
        var typePersistence: Double
        var types: [String: TypeProfile]

        enum CodingKeys: String, CodingKey {
            case typePersistence = "type_persistence", types
        }
    }

    static let regimes = ["bear", "sideways", "bull", "all"]

    static func text(_ profiles: EstimatedTypeProfiles) throws -> String {
        func byRegime(_ values: [Double]) -> [String: Double] { Dictionary(uniqueKeysWithValues: zip(regimes, values)) }
        var types: [String: TypeProfile] = [:]
        for type in MarketType.allCases {
            let t = type.rawValue
            let observables = Dictionary(uniqueKeysWithValues: MarketTypeObservation.featureNames.enumerated().map { f, name in
                (name, ["mean": profiles.featureMeans[t][f], "variance": profiles.featureVariances[t][f]])
            })
            let kinds = Dictionary(uniqueKeysWithValues: SignalKind.allCases.map { ($0.description, profiles.kindProbabilities[t][$0.rawValue]) })
            types[type.description] = TypeProfile(labelledBars: profiles.counts[t], baseRate: profiles.baseRates[t], observables: observables,
                                                  signalKind: kinds, damping: byRegime(profiles.damping[t]),
                                                  persistence: byRegime(profiles.persistence[t]), huntingCost: profiles.huntingCost[t],
                                                  liquidityProfit: profiles.liquidityProfit[t], manipulatorPayoff: profiles.manipulatorPayoff[t])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Document(typePersistence: profiles.typePersistence, types: types))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
