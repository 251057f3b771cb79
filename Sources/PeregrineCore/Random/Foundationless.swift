#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Elementary functions from the C math library, so the domain avoids importing Foundation.
public enum Foundationless {
    @inlinable public static func log(_ x: Double) -> Double {
        #if canImport(Glibc) || canImport(Darwin) || canImport(Musl)
        return _log(x)
        #endif
    }
    @inlinable public static func exp(_ x: Double) -> Double { _exp(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { _pow(x, y) }
}

@usableFromInline func _log(_ x: Double) -> Double { log(x) }
@usableFromInline func _exp(_ x: Double) -> Double { exp(x) }
@usableFromInline func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
