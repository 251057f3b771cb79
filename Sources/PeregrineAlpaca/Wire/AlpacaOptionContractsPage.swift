import Foundation

/// A page of `GET /v2/options/contracts`: its contracts and the token of the next page, if any.
public struct AlpacaOptionContractsPage: Equatable, Sendable {
    public var contracts: [AlpacaOptionContract]
    public var nextPageToken: String?

    public static func decode(_ data: Data) throws -> AlpacaOptionContractsPage {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        return AlpacaOptionContractsPage(contracts: try raw.option_contracts.map { raw throws(AlpacaWireError) in try AlpacaOptionContract(raw) },
                                         nextPageToken: raw.next_page_token.flatMap { $0.isEmpty ? nil : $0 })
    }

    struct Raw: Decodable {
        var option_contracts: [AlpacaOptionContract.Raw]
        var next_page_token: String?
    }
}
