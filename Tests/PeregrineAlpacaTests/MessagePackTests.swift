import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineTestSupport
import Testing

/// MessagePack as the msgpack library writes it (Tests/Fixtures/msgpack_reference.json, made by
/// scripts/fixtures/make_msgpack_fixture.py); that alpaca-py reads ours is checked by its run in CI.
@Suite struct MessagePackTests {
    let cases: [[String: Any]] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("msgpack_reference.json"))!
        return (try! JSONSerialization.jsonObject(with: data) as! [String: Any])["cases"] as! [[String: Any]]
    }()

    func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    func matches(_ value: MessagePackValue, _ reference: Any) -> Bool {
        switch value {
        case .null: return reference is NSNull
        case .bool(let flag): return (reference as? Bool) == flag
        case .int(let n): return (reference as? NSNumber).map { $0.int64Value == n && $0.doubleValue == Double(n) } ?? false
        case .double(let x): return (reference as? NSNumber)?.doubleValue == x
        case .string(let text): return (reference as? String) == text
        case .array(let items):
            guard let list = reference as? [Any], list.count == items.count else { return false }
            return zip(items, list).allSatisfy { matches($0, $1) }
        case .map(let entries):
            guard let object = reference as? [String: Any], object.count == entries.count else { return false }
            return entries.allSatisfy { key, item in object[key].map { matches(item, $0) } ?? false }
        case .timestamp: return false
        }
    }

    @Test func theReferenceBytesDecodeToTheirValuesAndRoundTrip() throws {
        #expect(cases.count == 10)
        for item in cases {
            let name = item["name"] as! String
            let decoded = try MessagePack.decode(bytes(item["hex"] as! String))
            if let nanoseconds = item["timestamp_ns"] as? NSNumber {
                #expect(decoded == .timestamp(Timestamp(nanoseconds: nanoseconds.int64Value)), "\(name)")
            } else {
                #expect(matches(decoded, item["value"]!), "\(name): \(decoded)")
            }
            #expect(try MessagePack.decode(MessagePack.encode(decoded)) == decoded, "\(name) round trip")
        }
    }

    @Test func truncatedAndUnknownInputIsRefused() {
        #expect(throws: MessagePack.DecodingError.self) { try MessagePack.decode([0x92, 0x01]) }
        #expect(throws: MessagePack.DecodingError.self) { try MessagePack.decode([0xc1]) }
        #expect(throws: MessagePack.DecodingError.self) { try MessagePack.decode([0x01, 0x02]) }
        #expect(throws: MessagePack.DecodingError.self) { try MessagePack.decode([0x81, 0x01, 0x02]) }  // a map key must be text
        // A timestamp beyond year 2262 does not fit nanoseconds since 1970: refused, not wrapped.
        #expect(throws: MessagePack.DecodingError.self) { try MessagePack.decode(bytes("c70cff000000050000000800000000")) }
    }
}
