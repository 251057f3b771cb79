import ArgumentParser
import PeregrineData
import PeregrineRisk

/// The `--risk off|default|FILE` option, read once: a file is loaded (and refused with its
/// problems) at once; `default` becomes limits only when the bar interval is known.
enum RiskChoice {
    case off
    case defaults
    case file(RiskLimits)

    init(_ option: String) throws {
        switch option {
        case "off": self = .off
        case "default": self = .defaults
        default:
            do { self = .file(try RiskConfiguration.load(path: option)) } catch {
                throw ValidationError("--risk '\(option)': use off, default or a TOML file. \(error.description)")
            }
        }
    }

    /// The limits for bars of `barInterval` nanoseconds, or nil when off.
    func limits(barInterval: Int64) -> RiskLimits? {
        switch self {
        case .off: nil
        case .defaults: RiskLimits.defaults(barInterval: barInterval)
        case .file(let limits): limits
        }
    }
}
