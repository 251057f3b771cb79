import PeregrineCore

/// The MessagePack subset Alpaca's market-data stream uses (alpaca-py asks for it with
/// `Content-Type: application/msgpack`): nil, booleans, integers, doubles, strings, arrays, maps
/// with string keys, and timestamps (extension type −1).
public indirect enum MessagePackValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([MessagePackValue])
    /// Keys in order, as written.
    case map([(String, MessagePackValue)])
    case timestamp(Timestamp)

    public static func == (lhs: MessagePackValue, rhs: MessagePackValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.map(let a), .map(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.timestamp(let a), .timestamp(let b)): return a == b
        default: return false
        }
    }

    /// The value of `key` in a map.
    public subscript(key: String) -> MessagePackValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var array: [MessagePackValue]? { if case .array(let a) = self { return a } else { return nil } }
}

public enum MessagePack {
    public struct DecodingError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func encode(_ value: MessagePackValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> MessagePackValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value()
        guard reader.offset == bytes.count else { throw DecodingError(description: "\(bytes.count - reader.offset) bytes after the value") }
        return value
    }

    private static func big<T: FixedWidthInteger>(_ value: T, into out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    private static func write(_ value: MessagePackValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(0xc0)
        case .bool(let flag): out.append(flag ? 0xc3 : 0xc2)
        case .int(let n):
            if n >= 0 && n < 128 { out.append(UInt8(n)) }
            else if n < 0 && n >= -32 { out.append(UInt8(bitPattern: Int8(n))) }
            else { out.append(0xd3); big(n, into: &out) }
        case .double(let x): out.append(0xcb); big(x.bitPattern, into: &out)
        case .string(let text):
            let bytes = Array(text.utf8)
            if bytes.count < 32 { out.append(0xa0 | UInt8(bytes.count)) }
            else if bytes.count < 256 { out.append(0xd9); out.append(UInt8(bytes.count)) }
            else if bytes.count < 65_536 { out.append(0xda); big(UInt16(bytes.count), into: &out) }
            else { out.append(0xdb); big(UInt32(bytes.count), into: &out) }
            out.append(contentsOf: bytes)
        case .array(let items):
            if items.count < 16 { out.append(0x90 | UInt8(items.count)) }
            else if items.count < 65_536 { out.append(0xdc); big(UInt16(items.count), into: &out) }
            else { out.append(0xdd); big(UInt32(items.count), into: &out) }
            for item in items { write(item, into: &out) }
        case .map(let entries):
            if entries.count < 16 { out.append(0x80 | UInt8(entries.count)) }
            else if entries.count < 65_536 { out.append(0xde); big(UInt16(entries.count), into: &out) }
            else { out.append(0xdf); big(UInt32(entries.count), into: &out) }
            for (key, item) in entries {
                write(.string(key), into: &out)
                write(item, into: &out)
            }
        case .timestamp(let time):
            // timestamp 96: nanoseconds (32 bits) then seconds (64 bits, signed).
            var seconds = time.nanoseconds / 1_000_000_000
            var nanos = time.nanoseconds % 1_000_000_000
            if nanos < 0 { seconds -= 1; nanos += 1_000_000_000 }
            out.append(contentsOf: [0xc7, 12, 0xff])
            big(UInt32(nanos), into: &out)
            big(seconds, into: &out)
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func take(_ count: Int) throws(DecodingError) -> ArraySlice<UInt8> {
            guard count >= 0, offset + count <= bytes.count else { throw DecodingError(description: "truncated at byte \(offset)") }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        mutating func unsigned(_ size: Int) throws(DecodingError) -> UInt64 {
            try take(size).reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func signed(_ size: Int) throws(DecodingError) -> Int64 {
            let raw = try unsigned(size)
            let shift = UInt64(64 - 8 * size)
            return Int64(bitPattern: raw << shift) >> Int64(shift)
        }

        mutating func text(_ count: Int) throws(DecodingError) -> String {
            let slice = try take(count)
            guard let text = String(validating: slice, as: UTF8.self) else { throw DecodingError(description: "invalid UTF-8 at byte \(offset - count)") }
            return text
        }

        mutating func items(_ count: Int) throws(DecodingError) -> MessagePackValue {
            var values: [MessagePackValue] = []
            for _ in 0..<count { values.append(try value()) }
            return .array(values)
        }

        mutating func entries(_ count: Int) throws(DecodingError) -> MessagePackValue {
            var pairs: [(String, MessagePackValue)] = []
            for _ in 0..<count {
                guard case .string(let key) = try value() else { throw DecodingError(description: "map key at byte \(offset) is not a string") }
                pairs.append((key, try value()))
            }
            return .map(pairs)
        }

        mutating func extensionValue(length: Int) throws(DecodingError) -> MessagePackValue {
            let type = Int8(bitPattern: try take(1).first!)
            guard type == -1 else { _ = try take(length); return .null }
            switch length {
            case 4: return .timestamp(Timestamp(nanoseconds: Int64(try unsigned(4)) * 1_000_000_000))
            case 8:
                // 30 bits of nanoseconds, 34 of seconds: the seconds fit Int64 nanoseconds only up to year 2262.
                let raw = try unsigned(8)
                let (scaled, overflow) = Int64(raw & 0x3_FFFF_FFFF).multipliedReportingOverflow(by: 1_000_000_000)
                guard !overflow else { throw DecodingError(description: "timestamp \(raw & 0x3_FFFF_FFFF) s is out of range") }
                return .timestamp(Timestamp(nanoseconds: scaled + Int64(raw >> 34)))
            case 12:
                let nanos = Int64(try unsigned(4))
                let seconds = try signed(8)
                let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
                guard !overflow, nanos < 1_000_000_000 else { throw DecodingError(description: "timestamp \(seconds) s is out of range") }
                return .timestamp(Timestamp(nanoseconds: scaled + nanos))
            default: throw DecodingError(description: "timestamp of \(length) bytes")
            }
        }

        mutating func value() throws(DecodingError) -> MessagePackValue {
            let byte = try take(1).first!
            switch byte {
            case 0x00...0x7f: return .int(Int64(byte))
            case 0x80...0x8f: return try entries(Int(byte & 0x0f))
            case 0x90...0x9f: return try items(Int(byte & 0x0f))
            case 0xa0...0xbf: return .string(try text(Int(byte & 0x1f)))
            case 0xc0: return .null
            case 0xc2: return .bool(false)
            case 0xc3: return .bool(true)
            case 0xc4, 0xc5, 0xc6:
                let size = Int(try unsigned(byte == 0xc4 ? 1 : byte == 0xc5 ? 2 : 4))
                return .string(String(decoding: try take(size), as: UTF8.self))
            case 0xc7, 0xc8, 0xc9: return try extensionValue(length: Int(try unsigned(byte == 0xc7 ? 1 : byte == 0xc8 ? 2 : 4)))
            case 0xca: return .double(Double(Float(bitPattern: UInt32(try unsigned(4)))))
            case 0xcb: return .double(Double(bitPattern: try unsigned(8)))
            case 0xcc, 0xcd, 0xce, 0xcf:
                let raw = try unsigned(1 << Int(byte - 0xcc))
                guard raw <= UInt64(Int64.max) else { throw DecodingError(description: "integer \(raw) too large") }
                return .int(Int64(raw))
            case 0xd0, 0xd1, 0xd2, 0xd3: return .int(try signed(1 << Int(byte - 0xd0)))
            case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: return try extensionValue(length: 1 << Int(byte - 0xd4))
            case 0xd9, 0xda, 0xdb: return .string(try text(Int(try unsigned(byte == 0xd9 ? 1 : byte == 0xda ? 2 : 4))))
            case 0xdc, 0xdd: return try items(Int(try unsigned(byte == 0xdc ? 2 : 4)))
            case 0xde, 0xdf: return try entries(Int(try unsigned(byte == 0xde ? 2 : 4)))
            case 0xe0...0xff: return .int(Int64(Int8(bitPattern: byte)))
            default: throw DecodingError(description: "unknown type byte 0x\(String(byte, radix: 16)) at \(offset - 1)")
            }
        }
    }
}
