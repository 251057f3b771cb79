import Foundation

/// How a crypto pair and its data file name map onto each other. Alpaca names a pair `BASE/QUOTE`
/// (`BTC/USD`), but a file name cannot hold a slash, so `peregrine data download` writes
/// `BTCUSD.csv`, and reading a folder turns `BTCUSD.csv`, `BTC-USD.csv` or `BTC_USD.csv` back into
/// `BTC/USD` when the name ends in a quote currency Alpaca trades against (USD, USDT, USDC, BTC).
public enum CryptoFileName {
    /// Alpaca's quote currencies, longest first so `BTCUSDT` is `BTC/USDT`, not `BTCUSD/T`.
    public static let quoteCurrencies = ["USDT", "USDC", "USD", "BTC"]

    /// The file stem for a pair: the symbol without its slash (`BTC/USD` is `BTCUSD`).
    public static func stem(for symbol: String) -> String {
        symbol.uppercased().replacingOccurrences(of: "/", with: "")
    }

    /// The pair a file stem names (`btcusd`, `BTC-USD`, `BTC_USD`, `BTC/USD` are all `BTC/USD`), or
    /// nil when the stem ends in no known quote currency or leaves no base.
    public static func symbol(forStem stem: String) -> String? {
        let upper = stem.uppercased()
        for separator in ["/", "-", "_"] where upper.contains(separator) {
            let parts = upper.split(separator: Character(separator), omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            return "\(parts[0])/\(parts[1])"
        }
        for quote in quoteCurrencies where upper.hasSuffix(quote) && upper.count > quote.count {
            return "\(upper.dropLast(quote.count))/\(quote)"
        }
        return nil
    }
}
