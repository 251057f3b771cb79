#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered text output to a file, written whole or not at all: text goes to `path.tmp` and is
/// renamed over `path` on `close()`, so a crash never leaves a half-written report behind.
public final class TextFileWriter {
    public let path: String
    private let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []

    public init(path: String) throws(DataError) {
        self.path = path
        self.temporaryPath = path + ".tmp"
        guard let handle = fopen(temporaryPath, "w") else {
            throw DataError(file: path, line: 0, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        file = handle
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if let file {
            fclose(file)
            unlink(temporaryPath)
        }
    }

    public func write(_ text: String) throws(DataError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func writeLine(_ text: String) throws(DataError) {
        try write(text)
        buffer.append(UInt8(ascii: "\n"))
    }

    private func flush() throws(DataError) {
        guard let file else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != buffer.count {
            throw DataError(file: path, line: 0, message: "write failed: \(String(cString: strerror(errno)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and moves the file into place.
    public func close() throws(DataError) {
        try flush()
        guard let handle = file else { return }
        file = nil
        if fclose(handle) != 0 || rename(temporaryPath, path) != 0 {
            unlink(temporaryPath)
            throw DataError(file: path, line: 0, message: "could not finish writing: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes a whole text file at once.
    public static func write(_ text: String, to path: String) throws(DataError) {
        let writer = try TextFileWriter(path: path)
        try writer.write(text)
        try writer.close()
    }
}
