import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineModels
import PeregrineTestSupport
import Testing

/// `GET /v2/options/contracts` against alpaca-py (Tests/Fixtures/alpaca_options_wire.json, made by
/// scripts/fixtures/make_alpaca_option_fixtures.py): the page parses to the values alpaca-py's
/// OptionContract reads, the query goes out with the parameters alpaca-py's client sends, and the
/// client follows the page token to the last page.
@Suite struct AlpacaOptionContractsTests {
    let fixture: [String: Any] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("alpaca_options_wire.json"))!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    var page: Data { try! JSONSerialization.data(withJSONObject: fixture["contracts_page"]!) }

    @Test func contractsParseAsAlpacaPyReadsThem() throws {
        let decoded = try AlpacaOptionContractsPage.decode(page)
        let expected = fixture["alpaca_py_contracts"] as! [[String: Any]]
        #expect(decoded.contracts.count == expected.count && decoded.nextPageToken == "MTAwMA==")
        for (ours, theirs) in zip(decoded.contracts, expected) {
            #expect(ours.symbol.description == theirs["symbol"] as! String)
            #expect(ours.symbol.expiration.description == theirs["expiration_date"] as! String)
            #expect(ours.symbol.type.rawValue == theirs["type"] as! String && ours.style == theirs["style"] as! String)
            #expect(ours.symbol.strike.doubleValue == theirs["strike_price"] as! Double)
            #expect(ours.size.description == theirs["size"] as! String && ours.tradable == theirs["tradable"] as! Bool)
            #expect(ours.openInterest.map(String.init) == theirs["open_interest"] as? String)
            #expect(ours.closePrice?.description == theirs["close_price"] as? String)
            #expect(ours.underlyingSymbol == theirs["underlying_symbol"] as! String)
        }
    }

    @Test func queriesCarryAlpacaPysParameters() throws {
        let queries = fixture["queries"] as! [[String: Any]]
        func expected(_ name: String) -> [String: String] { queries.first { $0["name"] as! String == name }!["alpaca_py"] as! [String: String] }
        let plain = AlpacaOptionContractsQuery(underlyingSymbols: ["AAPL"])
        #expect(Dictionary(uniqueKeysWithValues: plain.parameters()) == expected("default"))
        var filtered = AlpacaOptionContractsQuery(underlyingSymbols: ["AAPL", "SPY"])
        filtered.expirationDateFrom = CivilDate(year: 2024, month: 1, day: 19)
        filtered.expirationDateTo = CivilDate(year: 2024, month: 3, day: 15)
        filtered.type = .put
        filtered.style = "american"
        filtered.strikeFrom = Price(180)
        filtered.strikeTo = Price("202.5")!
        filtered.rootSymbol = "AAPL"
        filtered.limit = 500
        #expect(Dictionary(uniqueKeysWithValues: filtered.parameters(pageToken: "MTAwMA==")) == expected("filtered"))
    }

    @Test func theClientFollowsEveryPage() async throws {
        var last = fixture["contracts_page"] as! [String: Any]
        last["option_contracts"] = [(last["option_contracts"] as! [[String: Any]])[0]]
        last["next_page_token"] = NSNull()
        let transport = ScriptedTransport([.respond(HTTPResponseSpec(status: 200, body: page)),
                                           .respond(HTTPResponseSpec(status: 200, body: try JSONSerialization.data(withJSONObject: last)))])
        let client = AlpacaTradingClient(environment: .local("http://127.0.0.1:9"), credentials: AlpacaCredentials(keyID: "PK", secret: "s"),
                                         transport: transport, clock: { 0 }, sleep: { _ in })
        let contracts = try await client.optionContracts(AlpacaOptionContractsQuery(underlyingSymbols: ["AAPL"]))
        #expect(contracts.count == 4)
        let urls = await transport.requests.map(\.url)
        #expect(urls == ["http://127.0.0.1:9/v2/options/contracts?underlying_symbols=AAPL&status=active",
                         "http://127.0.0.1:9/v2/options/contracts?underlying_symbols=AAPL&status=active&page_token=MTAwMA%3D%3D"])
    }

    /// A contract whose fields disagree with its symbol, or a malformed symbol, is refused by name.
    @Test func inconsistentContractsAreRefused() throws {
        var document = fixture["contracts_page"] as! [String: Any]
        var contracts = document["option_contracts"] as! [[String: Any]]
        contracts[0]["strike_price"] = "195"
        document["option_contracts"] = contracts
        #expect(throws: AlpacaWireError.self) { try AlpacaOptionContractsPage.decode(try JSONSerialization.data(withJSONObject: document)) }
        contracts[0]["strike_price"] = "190"
        contracts[0]["symbol"] = "AAPL240119X00190000"
        document["option_contracts"] = contracts
        do {
            _ = try AlpacaOptionContractsPage.decode(try JSONSerialization.data(withJSONObject: document))
            Issue.record("a malformed symbol was accepted")
        } catch let error as AlpacaWireError {
            #expect(error.description.contains("AAPL240119X00190000"))
        }
    }
}
