import Foundation
import PeregrineCore
import PeregrineData
import PeregrineTestSupport
import Testing

/// A crypto pair's data file cannot carry the pair's slash: `BTCUSD.csv` (as `data download`
/// writes it) and `BTC-USD.csv` read back as `BTC/USD`, a crypto instrument with fractional lots.
@Suite struct CryptoFileNameTests {
    @Test func stemsMapToPairsAndBack() {
        #expect(CryptoFileName.symbol(forStem: "BTCUSD") == "BTC/USD")
        #expect(CryptoFileName.symbol(forStem: "btcusd") == "BTC/USD")
        #expect(CryptoFileName.symbol(forStem: "BTC-USD") == "BTC/USD")
        #expect(CryptoFileName.symbol(forStem: "eth_btc") == "ETH/BTC")
        #expect(CryptoFileName.symbol(forStem: "ETHBTC") == "ETH/BTC")
        #expect(CryptoFileName.symbol(forStem: "BTCUSDT") == "BTC/USDT")
        #expect(CryptoFileName.symbol(forStem: "USDCUSD") == "USDC/USD")
        #expect(CryptoFileName.symbol(forStem: "BTC/USD") == "BTC/USD")
        #expect(CryptoFileName.symbol(forStem: "USD") == nil)
        #expect(CryptoFileName.symbol(forStem: "BITCOIN") == nil)
        #expect(CryptoFileName.symbol(forStem: "BTC-") == nil)
        for pair in ["BTC/USD", "ETH/BTC", "SHIB/USDT", "AAVE/USDC"] {
            #expect(CryptoFileName.symbol(forStem: CryptoFileName.stem(for: pair)) == pair)
        }
    }

    @Test func aFolderOfPairFilesLoadsAsCryptoPairs() throws {
        let folder = TestPaths.temporaryFolder()
        let rows = "timestamp,open,high,low,close,volume\n2024-06-08T00:00:00Z,69312.46,69340.1,69301.035,69333.8,0.41305\n"
            + "2024-06-08T00:01:00Z,69333.8,69351.25,69320,69349.995,1.002154321\n"
        try rows.write(toFile: folder + "/BTCUSD.csv", atomically: true, encoding: .utf8)
        try rows.write(toFile: folder + "/eth-usd.csv", atomically: true, encoding: .utf8)
        try rows.write(toFile: folder + "/BITCOIN.csv", atomically: true, encoding: .utf8)
        var loader = MarketDataLoader(assetClass: .crypto)
        let all = try loader.load([folder])
        #expect(all.map(\.series.instrument.symbol) == ["BITCOIN", "BTC/USD", "ETH/USD"])
        #expect(all.allSatisfy { $0.series.instrument.assetClass == .crypto && $0.series.instrument.lotSize == Quantity(units: 1) })
        #expect(all[1].series[1].volume == Quantity("1.002154321")!)
        // A name that names no pair is loaded under its name, with a warning that says how to name it.
        #expect(all[0].warnings.first?.contains("BASEQUOTE.csv such as BTCUSD.csv") == true, "\(all[0].warnings)")
        #expect(all[1].warnings.isEmpty)

        loader.symbols = ["BTC/USD"]
        #expect(try loader.load([folder]).map(\.series.instrument.symbol) == ["BTC/USD"])
        loader.symbols = ["ETHUSD", "BTC/USD"]
        #expect(try loader.load([folder]).map(\.series.instrument.symbol) == ["BTC/USD", "ETH/USD"])
        loader.symbols = ["SOL/USD"]
        #expect(throws: MarketDataLoader.LoadError.self) { try loader.load([folder]) }
        // As stocks, the same files keep their plain names.
        #expect(try MarketDataLoader().load([folder]).map(\.series.instrument.symbol) == ["BITCOIN", "BTCUSD", "ETH-USD"])
    }
}
