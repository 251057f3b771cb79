import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineModels

struct OptionsContractsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contracts",
        abstract: "List the option contracts Alpaca offers on an underlying (GET /v2/options/contracts).",
        discussion: """
            Asks Alpaca's trading API (paper by default; --base-url for another) for the contracts on \
            --underlying, every page, filtered by expiration (--expiration, or --expiration-from and \
            --expiration-to, YYYY-MM-DD), --type call or put and strikes (--strike-from, --strike-to), and \
            prints each contract's OCC symbol, expiration, type, strike, style, size, open interest and last \
            close. Each symbol is checked against the contract's own fields. Keys come from \
            APCA_API_KEY_ID and APCA_API_SECRET_KEY or --keys FILE (mode 0600).

            Example:
              peregrine options contracts --underlying AAPL --expiration-from 2024-01-19 --expiration-to 2024-02-16 --type call --strike-from 180 --strike-to 210
            """
    )

    @Option(help: ArgumentHelp("Underlying symbols, comma-separated.", valueName: "symbols"))
    var underlying: String

    @Option(help: ArgumentHelp("Only this expiration, YYYY-MM-DD.", valueName: "date"))
    var expiration: String?

    @Option(help: ArgumentHelp("Expirations on or after this date.", valueName: "date"))
    var expirationFrom: String?

    @Option(help: ArgumentHelp("Expirations on or before this date.", valueName: "date"))
    var expirationTo: String?

    @Option(help: ArgumentHelp("call or put.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Strikes at or above this price.", valueName: "price"))
    var strikeFrom: String?

    @Option(help: ArgumentHelp("Strikes at or below this price.", valueName: "price"))
    var strikeTo: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var access: MarketDataAccessOptions

    func run() async throws {
        var query = AlpacaOptionContractsQuery(underlyingSymbols: try MarketDataAccessOptions.symbolList(underlying))
        func date(_ text: String?, _ option: String) throws -> CivilDate? {
            guard let text else { return nil }
            guard let value = CivilDate(iso: text) else { throw ValidationError("--\(option) '\(text)': write a date as YYYY-MM-DD") }
            return value
        }
        func price(_ text: String?, _ option: String) throws -> Price? {
            guard let text else { return nil }
            guard let value = Price(text), value.units > 0 else { throw ValidationError("--\(option) '\(text)': give a positive price") }
            return value
        }
        query.expirationDate = try date(expiration, "expiration")
        query.expirationDateFrom = try date(expirationFrom, "expiration-from")
        query.expirationDateTo = try date(expirationTo, "expiration-to")
        if let type {
            guard let parsed = OptionType(rawValue: type) else { throw ValidationError("--type '\(type)': use call or put") }
            query.type = parsed
        }
        query.strikeFrom = try price(strikeFrom, "strike-from")
        query.strikeTo = try price(strikeTo, "strike-to")
        query.limit = 1000
        let contracts: [AlpacaOptionContract]
        do { contracts = try await access.client().optionContracts(query) } catch let error as CLIFailure { throw error } catch {
            throw CLIFailure("option contracts: \(error)")
        }
        if json {
            var object = JSONObject()
            object.set("contracts", objects: contracts.map { contract in
                var item = JSONObject()
                item.set("symbol", contract.symbol.description)
                item.set("expiration", contract.symbol.expiration.description)
                item.set("type", contract.symbol.type.rawValue)
                item.set("strike", decimal: contract.symbol.strike.description)
                item.set("style", contract.style)
                item.set("size", decimal: contract.size.description)
                if let openInterest = contract.openInterest { item.set("open_interest", openInterest) }
                if let close = contract.closePrice { item.set("close_price", decimal: close.description) }
                return item
            })
            print(object.render())
        } else {
            var table = Table()
            for contract in contracts {
                table.add(contract.symbol.description, "\(contract.symbol.expiration) \(contract.symbol.type.rawValue) \(contract.symbol.strike) "
                    + "\(contract.style) size \(contract.size) open interest \(contract.openInterest.map(String.init) ?? "-") "
                    + "close \(contract.closePrice?.description ?? "-")")
            }
            print(contracts.isEmpty ? "no contracts" : table.render())
        }
    }
}
