import ArgumentParser
import Foundation
import PeregrineAlpaca

/// Where market data comes from and with which keys; shared by the commands that read Alpaca's
/// market-data API (`data download`, `data latest`, `data stream`).
struct MarketDataAccessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Market-data base URL (default Alpaca's; a local exchange's for offline use).", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Key file with APCA_API_KEY_ID= and APCA_API_SECRET_KEY= lines, mode 0600.", valueName: "file"))
    var keys: String?

    /// The key pair from `--keys` or the environment; the error says which and never shows a secret.
    func credentials() throws -> AlpacaCredentials {
        do {
            if let keys { return try AlpacaCredentials.fromFile(keys) }
            return try AlpacaCredentials.fromEnvironment()
        } catch {
            throw CLIFailure(error.description)
        }
    }

    var environment: AlpacaEnvironment { baseURL.map { AlpacaEnvironment.local($0) } ?? .paper }

    func client() throws -> AlpacaTradingClient {
        AlpacaTradingClient(environment: environment, credentials: try credentials(), transport: AsyncHTTPTransport())
    }

    /// The comma-separated `--symbols` as a list, or a validation error naming the option.
    static func symbolList(_ text: String) throws -> [String] {
        let list = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw ValidationError("--symbols: give at least one symbol") }
        return list
    }
}
