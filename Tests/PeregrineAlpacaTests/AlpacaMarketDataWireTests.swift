import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineTestSupport
import Testing

/// Market-data documents beyond stock bars (crypto bar pages, latest quotes and trades, stream
/// quotes, trades and bars) read from documents alpaca-py accepts, checked against the values
/// alpaca-py parsed and the nanoseconds pandas read from the same times
/// (Tests/Fixtures/alpaca_market_data.json, made by scripts/fixtures/make_market_data_fixtures.py);
/// malformed ones refused with the field named.
@Suite struct AlpacaMarketDataWireTests {
    let fixture: [String: Any] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("alpaca_market_data.json"))!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    func document(_ key: String) throws -> Data { try JSONSerialization.data(withJSONObject: fixture[key]!) }
    func reference(_ key: String) -> [String: Any] { fixture[key] as! [String: Any] }

    /// A time to the nanosecond as pandas reads it, and to the microsecond as alpaca-py keeps it.
    func checkTime(_ time: Timestamp, _ ref: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(time.nanoseconds == (ref["unix_ns"] as! NSNumber).int64Value, sourceLocation: sourceLocation)
        #expect(time.nanoseconds.floorDivided(by: 1_000) == (ref["unix_us"] as! NSNumber).int64Value, sourceLocation: sourceLocation)
    }

    func checkQuote(_ quote: Quote, _ ref: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
        checkTime(quote.timestamp, ref, sourceLocation: sourceLocation)
        #expect(quote.bidPrice.doubleValue == ref["bid_price"] as! Double, sourceLocation: sourceLocation)
        #expect(quote.bidSize.doubleValue == ref["bid_size"] as! Double, sourceLocation: sourceLocation)
        #expect(quote.askPrice.doubleValue == ref["ask_price"] as! Double, sourceLocation: sourceLocation)
        #expect(quote.askSize.doubleValue == ref["ask_size"] as! Double, sourceLocation: sourceLocation)
        #expect(quote.bidExchange == ref["bid_exchange"] as? String, sourceLocation: sourceLocation)
        #expect(quote.askExchange == ref["ask_exchange"] as? String, sourceLocation: sourceLocation)
        #expect(quote.conditions == (ref["conditions"] as? [String] ?? []), sourceLocation: sourceLocation)
        #expect(quote.tape == ref["tape"] as? String, sourceLocation: sourceLocation)
    }

    func checkTrade(_ trade: Trade, _ ref: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
        checkTime(trade.timestamp, ref, sourceLocation: sourceLocation)
        #expect(trade.price.doubleValue == ref["price"] as! Double, sourceLocation: sourceLocation)
        #expect(trade.size.doubleValue == ref["size"] as! Double, sourceLocation: sourceLocation)
        #expect(trade.exchange == ref["exchange"] as? String, sourceLocation: sourceLocation)
        #expect(trade.id == (ref["id"] as? NSNumber)?.uint64Value, sourceLocation: sourceLocation)
        #expect(trade.conditions == (ref["conditions"] as? [String] ?? []), sourceLocation: sourceLocation)
        #expect(trade.tape == ref["tape"] as? String, sourceLocation: sourceLocation)
    }

    func checkBar(_ bar: Bar, _ ref: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
        checkTime(bar.timestamp, ref, sourceLocation: sourceLocation)
        #expect(bar.open.doubleValue == ref["open"] as! Double, sourceLocation: sourceLocation)
        #expect(bar.high.doubleValue == ref["high"] as! Double, sourceLocation: sourceLocation)
        #expect(bar.low.doubleValue == ref["low"] as! Double, sourceLocation: sourceLocation)
        #expect(bar.close.doubleValue == ref["close"] as! Double, sourceLocation: sourceLocation)
        #expect(bar.volume.doubleValue == ref["volume"] as! Double, sourceLocation: sourceLocation)
    }

    @Test func cryptoBarPagesDecodeExactFractionalVolumesAndTheirTokens() throws {
        let pages = fixture["crypto_bars_pages"] as! [[String: Any]]
        let refs = fixture["crypto_bars_alpaca_py"] as! [[[String: Any]]]
        var all: [Bar] = []
        for (page, ref) in zip(pages, refs) {
            let decoded = try AlpacaBarsPage.decode(try JSONSerialization.data(withJSONObject: page))
            #expect(decoded.nextPageToken == page["next_page_token"] as? String)
            let bars = try #require(decoded.bars["BTC/USD"])
            #expect(bars.count == ref.count)
            for (bar, item) in zip(bars, ref) { checkBar(bar, item) }
            all += bars
        }
        #expect(all.count == 3)
        // Exactly the decimal text, not the nearest double: 1.002154321 coins and 0.000052 (written 5.2e-05).
        #expect(all[1].volume == Quantity("1.002154321")! && all[2].volume == Quantity("0.000052")!)
        #expect(all[0].low == Price("69301.035")! && all[1].close == Price("69349.995")!)
    }

    @Test func theClientFollowsCryptoPagesOnTheCryptoEndpoint() async throws {
        let pages = try (fixture["crypto_bars_pages"] as! [[String: Any]]).map { try JSONSerialization.data(withJSONObject: $0) }
        let transport = ScriptedTransport(pages.map { .respond(HTTPResponseSpec(status: 200, body: $0)) })
        let client = AlpacaTradingClient(environment: .paper, credentials: AlpacaCredentials(keyID: "PK", secret: "s"),
                                         transport: transport, clock: { 0 }, sleep: { _ in })
        let bars = try await client.bars(symbol: "BTC/USD", timeframe: "1Min", start: Timestamp(nanoseconds: 1_717_804_800_000_000_000))
        #expect(bars.map(\.volume) == [Quantity("0.41305")!, Quantity("1.002154321")!, Quantity("0.000052")!])
        let urls = await transport.requests.map(\.url)
        #expect(urls.count == 2)
        #expect(urls.allSatisfy { $0.hasPrefix("https://data.alpaca.markets/v1beta3/crypto/us/bars?symbols=BTC%2FUSD&timeframe=1Min") })
        #expect(urls[1].hasSuffix("page_token=QlRDL1VTRHwyMDI0LTA2LTA4VDAwOjAxOjAwWg%3D%3D"), "\(urls[1])")
    }

    @Test func latestQuotesAndTradesDecodeAsAlpacaPyReadsThem() throws {
        let quotes = try AlpacaLatestQuotes.decode(document("latest_quotes"))
        let quoteRefs = reference("latest_quotes_alpaca_py")
        #expect(Set(quotes.keys) == ["AAPL", "MSFT"])
        for (symbol, quote) in quotes { checkQuote(quote, quoteRefs[symbol] as! [String: Any]) }
        let one = try AlpacaLatestQuotes.decodeOne(document("latest_quote"))
        #expect(one.symbol == "AAPL")
        checkQuote(one.quote, reference("latest_quote_alpaca_py"))
        #expect(one.quote.bidPrice == Price("196.88")! && one.quote.askSize == Quantity(3))
        #expect(one.quote.timestamp.iso8601 == "2024-06-07T19:59:59.987654321Z")

        let trades = try AlpacaLatestTrades.decode(document("latest_trades"))
        let tradeRefs = reference("latest_trades_alpaca_py")
        #expect(Set(trades.keys) == ["AAPL", "MSFT"])
        for (symbol, trade) in trades { checkTrade(trade, tradeRefs[symbol] as! [String: Any]) }
        let single = try AlpacaLatestTrades.decodeOne(document("latest_trade"))
        checkTrade(single.trade, reference("latest_trade_alpaca_py"))
        #expect(trades["MSFT"]?.price == Price("423.855")! && trades["MSFT"]?.conditions == ["@", "I"])
        #expect(single.trade.id == 52_983_525_029_461)

        let btcQuote = try #require(try AlpacaLatestQuotes.decode(document("crypto_latest_quotes"))["BTC/USD"])
        checkQuote(btcQuote, reference("crypto_latest_quotes_alpaca_py")["BTC/USD"] as! [String: Any])
        #expect(btcQuote.askSize == Quantity("0.26106")! && btcQuote.bidExchange == nil)
        let btcTrade = try #require(try AlpacaLatestTrades.decode(document("crypto_latest_trades"))["BTC/USD"])
        checkTrade(btcTrade, reference("crypto_latest_trades_alpaca_py")["BTC/USD"] as! [String: Any])
        #expect(btcTrade.size == Quantity("0.00041")! && btcTrade.takerSide == .sell)
    }

    /// alpaca-py reads the MessagePack form of each stream message with its own stream code; ours
    /// reads the JSON form of the same message; both must give the same values.
    @Test func streamQuotesTradesAndBarsDecodeAsAlpacaPyReadsThem() throws {
        for (key, symbol) in [("stream_stock", "AAPL"), ("stream_crypto", "BTC/USD")] {
            let items = try AlpacaMarketDataMessage.decode(document(key)).map { try $0.get() }
            let refs = fixture[key + "_alpaca_py"] as! [[String: Any]]
            #expect(items.count == 3 && refs.count == 3)
            for (item, ref) in zip(items, refs) {
                switch item {
                case .quote(let s, let quote):
                    #expect(s == symbol && ref["T"] as? String == "q")
                    checkQuote(quote, ref)
                case .trade(let s, let trade):
                    #expect(s == symbol && ref["T"] as? String == "t")
                    checkTrade(trade, ref)
                case .bar(let s, let bar):
                    #expect(s == symbol && ref["T"] as? String == "b")
                    checkBar(bar, ref)
                default:
                    Issue.record("unexpected \(item)")
                }
            }
        }
        let crypto = try AlpacaMarketDataMessage.decode(document("stream_crypto")).map { try $0.get() }
        guard case .trade(_, let trade) = crypto[1] else { Issue.record("not a trade: \(crypto[1])"); return }
        #expect(trade.takerSide == .sell && trade.timestamp.nanoseconds % 1_000 == 321)
        guard case .quote(_, let quote) = try AlpacaMarketDataMessage.decode(document("stream_stock"))[0].get() else { return }
        #expect(quote.timestamp.nanoseconds % 1_000_000_000 == 987_654_321 && quote.bidExchange == "V" && quote.tape == "C")
    }

    /// The MessagePack form alpaca-py read carries the same times, to the nanosecond, as our reader of the JSON form.
    @Test func theMessagePackFormCarriesTheSameNanoseconds() throws {
        let hex = fixture["stream_crypto_msgpack_hex"] as! String
        let bytes = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        let items = try #require(try MessagePack.decode(bytes).array)
        let refs = fixture["stream_crypto_alpaca_py"] as! [[String: Any]]
        for (item, ref) in zip(items, refs) {
            guard case .timestamp(let time)? = item["t"] else { Issue.record("no timestamp in \(item)"); continue }
            #expect(time.nanoseconds == (ref["unix_ns"] as! NSNumber).int64Value)
        }
    }

    @Test func malformedQuotesAndTradesNameTheField() throws {
        func mutated(_ key: String, _ change: (inout [String: Any]) -> Void) throws -> Data {
            var object = fixture[key] as! [String: Any]
            change(&object)
            return try JSONSerialization.data(withJSONObject: object)
        }
        func quotes(_ change: @escaping (inout [String: Any]) -> Void) throws -> Data {
            try mutated("latest_quotes") { document in
                var quotes = document["quotes"] as! [String: Any]
                var aapl = quotes["AAPL"] as! [String: Any]
                change(&aapl)
                quotes["AAPL"] = aapl
                document["quotes"] = quotes
            }
        }
        #expect(throws: AlpacaWireError(document: "latest quotes", field: "quotes.AAPL.bp", problem: "'abc' is not a decimal price")) {
            try AlpacaLatestQuotes.decode(try quotes { $0["bp"] = "abc" })
        }
        #expect(throws: AlpacaWireError(document: "latest quotes", field: "quotes.AAPL.ap", problem: "missing")) {
            try AlpacaLatestQuotes.decode(try quotes { $0["ap"] = nil })
        }
        #expect(throws: AlpacaWireError(document: "latest quotes", field: "quotes.AAPL.bs", problem: "size -2 is negative")) {
            try AlpacaLatestQuotes.decode(try quotes { $0["bs"] = -2 })
        }
        #expect(throws: AlpacaWireError(document: "latest quotes", field: "quotes.AAPL.t",
                                         problem: "'2024-06-07 19:59:59' has no UTC offset")) {
            try AlpacaLatestQuotes.decode(try quotes { $0["t"] = "2024-06-07 19:59:59" })
        }
        #expect(throws: AlpacaWireError(document: "latest quote AAPL", field: "quote", problem: "missing")) {
            try AlpacaLatestQuotes.decodeOne(try mutated("latest_quote") { $0["quote"] = nil })
        }
        #expect(throws: AlpacaWireError(document: "latest trade AAPL", field: "trade.p", problem: "price 0 is not positive")) {
            try AlpacaLatestTrades.decodeOne(try mutated("latest_trade") { document in
                var trade = document["trade"] as! [String: Any]
                trade["p"] = 0
                document["trade"] = trade
            })
        }
        #expect(throws: AlpacaWireError(document: "latest trade AAPL", field: "trade.i", problem: "'-5' is not a trade id (a whole number)")) {
            try AlpacaLatestTrades.decodeOne(try mutated("latest_trade") { document in
                var trade = document["trade"] as! [String: Any]
                trade["i"] = -5
                document["trade"] = trade
            })
        }
        #expect(throws: AlpacaWireError(document: "latest trade AAPL", field: "trade.s",
                                         problem: "'12.0000000001' is not a decimal quantity")) {
            try AlpacaLatestTrades.decodeOne(try mutated("latest_trade") { document in
                var trade = document["trade"] as! [String: Any]
                trade["s"] = "12.0000000001"
                document["trade"] = trade
            })
        }
    }

    /// In a stream message each item is read on its own: a malformed one is refused with its field,
    /// the good ones around it still arrive.
    @Test func aMalformedStreamItemIsRefusedAndTheOthersArrive() throws {
        var items = fixture["stream_crypto"] as! [[String: Any]]
        items[0]["bp"] = "69,301.5"
        items[1]["tks"] = "X"
        items.append(["T": "q", "bp": 1, "bs": 1, "ap": 2, "as": 1, "t": "2024-06-08T12:00:01Z"])
        items.append(["T": "t", "S": "BTC/USD", "p": 1, "s": 1, "t": "2024-06-08T12:00:01Z", "c": [7]])
        let decoded = try AlpacaMarketDataMessage.decode(JSONSerialization.data(withJSONObject: items))
        #expect(decoded.count == 5)
        #expect(decoded[0] == .failure(AlpacaWireError(document: "market-data q BTC/USD", field: "bp", problem: "'69,301.5' is not a decimal price")))
        #expect(decoded[1] == .failure(AlpacaWireError(document: "market-data t BTC/USD", field: "tks",
                                                       problem: "unknown taker side 'X' (expected B or S)")))
        guard case .success(.bar(let symbol, let bar)) = decoded[2] else { Issue.record("the bar did not arrive: \(decoded[2])"); return }
        #expect(symbol == "BTC/USD" && bar.volume == Quantity("0.41305")!)
        #expect(decoded[3] == .failure(AlpacaWireError(document: "market-data q", field: "S", problem: "missing")))
        guard case .failure(let conditions) = decoded[4] else { Issue.record("conditions of numbers were read: \(decoded[4])"); return }
        #expect(conditions.document == "market-data t BTC/USD" && conditions.field == "c", "\(conditions)")
        #expect(throws: AlpacaWireError(document: "market-data message", field: "(message)",
                                         problem: #"not a JSON array of objects: {"T":"q"}"#)) {
            try AlpacaMarketDataMessage.decode(Data(#"{"T":"q"}"#.utf8))
        }
    }

    @Test func theStreamURLsFollowTheEnvironment() {
        #expect(AlpacaEnvironment.paper.cryptoDataStreamURL() == "wss://stream.data.alpaca.markets/v1beta3/crypto/us")
        #expect(AlpacaEnvironment.local("http://127.0.0.1:8123").cryptoDataStreamURL() == "ws://127.0.0.1:8123/v1beta3/crypto/us")
        let stream = AlpacaMarketDataStream(environment: .paper, endpoint: .crypto, quotes: ["BTC/USD"],
                                            credentials: AlpacaCredentials(keyID: "PK", secret: "s"))
        #expect(stream.url == "wss://stream.data.alpaca.markets/v1beta3/crypto/us" && stream.quotes == ["BTC/USD"])
    }
}
