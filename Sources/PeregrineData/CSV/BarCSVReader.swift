#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PeregrineCore

/// Reads OHLCV bars from CSV: `timestamp,open,high,low,close,volume` (the format of our data files),
/// Yahoo's `Date,Open,High,Low,Close,Adj Close,Volume`, or any header naming those columns in any
/// order. Streams the file in blocks, so memory stays at the bars themselves. Every row is
/// validated; a bad one stops the read with file, line and field, or is skipped and reported.
public struct BarCSVReader: Sendable {
    public var zone: TimeZoneSpec
    public var policy: BadRowPolicy
    /// Whether `zone` was chosen by the user (otherwise naive times get a warning).
    public var zoneIsExplicit: Bool

    public init(zone: TimeZoneSpec? = nil, policy: BadRowPolicy = .fail) {
        self.zone = zone ?? .rule(.fixed(seconds: 0))
        self.zoneIsExplicit = zone != nil
        self.policy = policy
    }

    /// Bars read from one file, with what was skipped and anything the reader had to assume.
    public struct Loaded: Sendable {
        public var series: BarSeries
        /// Data rows seen (excluding the header and blank lines).
        public var rows: Int
        public var skipped: [DataError]
        public var warnings: [String]
        public var format: String
    }

    /// Reads `path` as bars of `instrument`.
    public func read(path: String, instrument: Instrument) throws(DataError) -> Loaded {
        let name = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw DataError(file: name, line: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        var state = ParseState(file: name, reader: self, instrument: instrument, fileSize: size)
        let blockSize = 1 << 20
        var buffer = [UInt8](repeating: 0, count: blockSize)
        var filled = 0
        var lineNumber = 0
        while true {
            if filled == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let got = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if got < 0 {
                throw DataError(file: name, line: lineNumber, message: "read failed: \(String(cString: strerror(errno)))")
            }
            filled += got
            let atEnd = got == 0
            var consumed = 0
            try buffer.withUnsafeBufferPointer { (all: UnsafeBufferPointer<UInt8>) throws(DataError) in
                var start = 0
                while start < filled {
                    var newline = -1
                    if let base = all.baseAddress,
                       let hit = memchr(base + start, Int32(UInt8(ascii: "\n")), filled - start) {
                        newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    }
                    if newline < 0 && !atEnd { break }
                    let lineEnd = newline < 0 ? filled : newline
                    lineNumber += 1
                    var stop = lineEnd
                    if stop > start && all[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                    try state.consume(UnsafeBufferPointer(rebasing: all[start..<stop]), line: lineNumber)
                    start = newline < 0 ? filled : newline + 1
                }
                consumed = start
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!
                    memmove(base, base + consumed, filled - consumed)
                }
                filled -= consumed
            }
            if atEnd { break }
        }
        return try state.finish()
    }
}

/// The columns a header names, by position.
struct ColumnLayout {
    var timestamp = -1, open = -1, high = -1, low = -1, close = -1, volume = -1
    var fieldCount = 0
    var names: [String] = []
    var format = "timestamp,open,high,low,close,volume"

    init(header: [String], file: String) throws(DataError) {
        fieldCount = header.count
        names = header
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            switch name {
            case "timestamp", "date", "datetime", "time", "date/time": if timestamp < 0 { timestamp = index }
            case "open", "o": open = index
            case "high", "h": high = index
            case "low", "l": low = index
            case "close", "c": close = index
            case "volume", "vol", "v": volume = index
            case "adj close", "adj_close", "adjclose":
                format = "Yahoo (Date,Open,High,Low,Close,Adj Close,Volume; Adj Close not used)"
            default: break
            }
        }
        let missing = [("timestamp or date", timestamp), ("open", open), ("high", high), ("low", low), ("close", close)]
            .filter { $0.1 < 0 }.map(\.0)
        guard missing.isEmpty else {
            throw DataError(file: file, line: 1, message: "header '\(header.joined(separator: ","))' has no column "
                + missing.joined(separator: ", ") + "; expected timestamp,open,high,low,close,volume")
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\u{FEFF}" || s.first == "\"" { s.removeFirst() }
        while s.last == " " || s.last == "\"" { s.removeLast() }
        return String(s)
    }
}

/// Row-by-row parsing and validation, kept out of the I/O loop.
struct ParseState {
    let file: String
    let reader: BarCSVReader
    let parser: TimestampParser
    var layout: ColumnLayout?
    var series: BarSeries
    var rows = 0
    var skipped: [DataError] = []
    var warnings: [String] = []
    var naiveIntraday = false
    var lastTimestamp: Int64 = .min
    var lastLine = 0
    var fields: [Range<Int>] = []
    let fileSize: Int

    init(file: String, reader: BarCSVReader, instrument: Instrument, fileSize: Int) {
        self.file = file
        self.reader = reader
        self.parser = TimestampParser(zone: reader.zone)
        self.series = BarSeries(instrument: instrument)
        self.fileSize = fileSize
        fields.reserveCapacity(16)
    }

    mutating func consume(_ line: UnsafeBufferPointer<UInt8>, line number: Int) throws(DataError) {
        if line.isEmpty || line.allSatisfy({ $0 == UInt8(ascii: " ") }) { return }
        fields.removeAll(keepingCapacity: true)
        var start = 0
        for index in 0..<line.count where line[index] == UInt8(ascii: ",") {
            fields.append(start..<index)
            start = index + 1
        }
        fields.append(start..<line.count)
        guard let layout else {
            let header = fields.map { String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self) }
            let parsed = try ColumnLayout(header: header, file: file)
            self.layout = parsed
            if fileSize > 0 {
                // Reserve for the whole file from the header's size, so arrays never double at the end.
                series.reserveCapacity(fileSize / max(24, line.count + 8) + 16)
            }
            return
        }
        rows += 1
        do {
            try parseRow(line, layout: layout, number: number)
        } catch {
            guard reader.policy == .skip else { throw error }
            skipped.append(error)
        }
    }

    private mutating func parseRow(_ line: UnsafeBufferPointer<UInt8>, layout: ColumnLayout, number: Int)
        throws(DataError)
    {
        guard fields.count == layout.fieldCount else {
            throw DataError(file: file, line: number,
                            message: "expected \(layout.fieldCount) fields (\(layout.names.joined(separator: ","))), found \(fields.count)")
        }
        let timeField = UnsafeBufferPointer(rebasing: line[fields[layout.timestamp]])
        let parsed: TimestampParser.Parsed
        switch parser.parse(timeField) {
        case .success(let value): parsed = value
        case .failure(let failure):
            let text = String(decoding: timeField, as: UTF8.self)
            throw DataError(file: file, line: number, field: layout.names[layout.timestamp],
                            message: text.isEmpty ? "empty timestamp"
                                : failure == .invalidDate ? "'\(text)' is not a real calendar date"
                                : failure == .outOfRange ? "'\(text)' is outside the dates Peregrine holds "
                                    + "(\(Timestamp.earliestDate) to \(Timestamp.latestDate))"
                                : "'\(text)' is not a date or ISO 8601 time")
        }
        if parsed.hadTime && !parsed.hadOffset && !reader.zoneIsExplicit { naiveIntraday = true }
        let open = try price(line, layout.open, layout, number)
        let high = try price(line, layout.high, layout, number)
        let low = try price(line, layout.low, layout, number)
        let close = try price(line, layout.close, layout, number)
        var volume: Int128 = 0
        if layout.volume >= 0 {
            let field = UnsafeBufferPointer(rebasing: line[fields[layout.volume]])
            switch Quantity.parse(field) {
            case .success(let quantity): volume = quantity.units
            case .failure(let problem):
                throw DataError(file: file, line: number, field: layout.names[layout.volume],
                                message: describe(problem, field))
            }
            if volume < 0 {
                throw DataError(file: file, line: number, field: layout.names[layout.volume],
                                message: "volume is negative (\(Quantity(units: volume)))")
            }
        }
        if high < low {
            throw DataError(file: file, line: number, field: layout.names[layout.high],
                            message: "high \(Price(units: high)) is below low \(Price(units: low))")
        }
        if high < max(open, close) {
            throw DataError(file: file, line: number, field: layout.names[layout.high],
                            message: "high \(Price(units: high)) is below open \(Price(units: open)) or close \(Price(units: close))")
        }
        if low > min(open, close) {
            throw DataError(file: file, line: number, field: layout.names[layout.low],
                            message: "low \(Price(units: low)) is above open \(Price(units: open)) or close \(Price(units: close))")
        }
        let time = parsed.timestamp.nanoseconds
        if time == lastTimestamp {
            throw DataError(file: file, line: number, field: layout.names[layout.timestamp],
                            message: "duplicate timestamp \(parsed.timestamp.compactDescription) (also on line \(lastLine))")
        }
        if time < lastTimestamp {
            throw DataError(file: file, line: number, field: layout.names[layout.timestamp],
                            message: "timestamp \(parsed.timestamp.compactDescription) is earlier than line \(lastLine)'s "
                                + "\(Timestamp(nanoseconds: lastTimestamp).compactDescription); rows must be in time order")
        }
        lastTimestamp = time
        lastLine = number
        series.append(timestamp: time, open: open, high: high, low: low, close: close, volume: volume)
    }

    private func price(_ line: UnsafeBufferPointer<UInt8>, _ column: Int, _ layout: ColumnLayout, _ number: Int)
        throws(DataError) -> Int64
    {
        let field = UnsafeBufferPointer(rebasing: line[fields[column]])
        switch DecimalText.parseUnits(field, fractionDigits: Price.fractionDigits) {
        case .success(let units):
            if units <= 0 {
                throw DataError(file: file, line: number, field: layout.names[column],
                                message: "price must be positive, got \(Price(units: units))")
            }
            return units
        case .failure(let problem):
            throw DataError(file: file, line: number, field: layout.names[column], message: describe(problem, field))
        }
    }

    private func describe(_ problem: DecimalText.ParseError, _ field: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: field, as: UTF8.self).lowercased()
        if text == "nan" || text == "-nan" { return "value is NaN" }
        if text == "inf" || text == "-inf" || text == "infinity" { return "value is infinite" }
        if case .empty = problem { return "value is empty" }
        return problem.description
    }

    mutating func finish() throws(DataError) -> BarCSVReader.Loaded {
        guard let layout else { throw DataError(file: file, line: 0, message: "file is empty (no header)") }
        if naiveIntraday {
            warnings.append("\(file): times have no UTC offset and were read as UTC; pass --timezone to name their zone")
        }
        if series.isEmpty && skipped.isEmpty {
            throw DataError(file: file, line: 0, message: "no data rows after the header")
        }
        return BarCSVReader.Loaded(series: series, rows: rows, skipped: skipped, warnings: warnings,
                                   format: layout.format)
    }
}
