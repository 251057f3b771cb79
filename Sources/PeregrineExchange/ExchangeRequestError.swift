/// A request the local exchange refuses, with the HTTP status and the message Alpaca would send.
struct ExchangeRequestError: Error {
    let status: Int
    let message: String
    /// Alpaca's error code: the status followed by five digits.
    let code: Int

    init(_ status: Int, _ message: String) {
        self.init(status, message, code: status * 100_000)
    }

    init(_ status: Int, _ message: String, code: Int) {
        self.status = status
        self.message = message
        self.code = code
    }

    /// An option order refused as Alpaca refuses them: 403 with code 40310000 (level, buying
    /// power, cover) or 422 with 42210000 (the order's own fields).
    static func options(_ status: Int, _ message: String) -> ExchangeRequestError {
        ExchangeRequestError(status, message, code: status * 100_000 + 10_000)
    }
}
