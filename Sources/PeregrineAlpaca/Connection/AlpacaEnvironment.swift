/// Where requests go. Live trading is a separate case that can only be built with an explicit
/// confirmation naming the account, so no default or typo reaches real money.
public struct AlpacaEnvironment: Sendable, Equatable {
    public enum Mode: String, Sendable { case paper, live, local }

    public let mode: Mode
    public let tradingBaseURL: String
    public let dataBaseURL: String
    /// The market-data stream for `feed` (iex or sip): Alpaca's stream host, or the local exchange's
    /// `/v2/{feed}` over ws.
    public func marketDataStreamURL(feed: String) -> String {
        streamBase + "/v2/\(feed)"
    }

    /// The crypto market-data stream at `location` (us): Alpaca's `v1beta3/crypto/{location}`, or
    /// the local exchange's path of the same name over ws.
    public func cryptoDataStreamURL(location: String = "us") -> String {
        streamBase + "/v1beta3/crypto/\(location)"
    }

    /// Alpaca's stream host for its data host, or the same host over ws(s) for anything else.
    private var streamBase: String {
        if dataBaseURL == "https://data.alpaca.markets" { return "wss://stream.data.alpaca.markets" }
        if dataBaseURL.hasPrefix("https://") { return "wss://" + dataBaseURL.dropFirst("https://".count) }
        if dataBaseURL.hasPrefix("http://") { return "ws://" + dataBaseURL.dropFirst("http://".count) }
        return dataBaseURL
    }

    /// For live trading, the account number the configuration confirmed; the runtime refuses to
    /// trade if the broker reports a different account.
    public let liveAccount: String?

    public static let paper = AlpacaEnvironment(mode: .paper, tradingBaseURL: "https://paper-api.alpaca.markets",
                                                dataBaseURL: "https://data.alpaca.markets")

    /// A local Alpaca-compatible exchange, e.g. `http://127.0.0.1:8123`.
    public static func local(_ baseURL: String) -> AlpacaEnvironment {
        AlpacaEnvironment(mode: .local, tradingBaseURL: baseURL, dataBaseURL: baseURL)
    }

    public struct LiveRefused: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Live trading. `optIn` is the `--live` flag; `confirmedAccount` is the account number the
    /// configuration names, which must be non-empty; it is kept in `liveAccount`.
    public static func live(optIn: Bool, confirmedAccount: String?) throws(LiveRefused) -> AlpacaEnvironment {
        guard optIn else { throw LiveRefused(description: "live trading needs --live on the command line, every time") }
        guard let account = confirmedAccount, !account.isEmpty else {
            throw LiveRefused(description: "live trading needs live_account = \"<account number>\" in the configuration")
        }
        return AlpacaEnvironment(mode: .live, tradingBaseURL: "https://api.alpaca.markets", dataBaseURL: "https://data.alpaca.markets",
                                 liveAccount: account)
    }

    private init(mode: Mode, tradingBaseURL: String, dataBaseURL: String, liveAccount: String? = nil) {
        self.mode = mode
        self.tradingBaseURL = tradingBaseURL
        self.dataBaseURL = dataBaseURL
        self.liveAccount = liveAccount
    }
}
