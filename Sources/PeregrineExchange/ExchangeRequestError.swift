/// A request the local exchange refuses, with the HTTP status and the message Alpaca would send.
struct ExchangeRequestError: Error {
    let status: Int
    let message: String

    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    /// Alpaca's error codes are the status followed by five digits.
    var code: Int { status * 100_000 }
}
