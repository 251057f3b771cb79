import Foundation
import HummingbirdWSClient
import NIOCore

/// Alpaca's streams carry JSON in text or binary frames alike; both ends of Peregrine's trading
/// stream (the client here and the local exchange's server) read messages this way.
extension WebSocketMessage {
    /// The message's bytes, whichever kind of frame carried them.
    public var payload: Data {
        switch self {
        case .text(let text): Data(text.utf8)
        case .binary(let buffer): Data(buffer.readableBytesView)
        }
    }

    /// The message as a JSON object, or nil when it is not one.
    public var jsonObject: [String: Any]? { (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any] }
}
