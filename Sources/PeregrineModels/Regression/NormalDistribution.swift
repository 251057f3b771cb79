#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution.
public enum NormalDistribution {
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
    public static func pdf(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }
    /// log density of N(mean, variance) at x.
    public static func logDensity(_ x: Double, mean: Double, variance: Double) -> Double {
        -0.5 * (log(2 * Double.pi * variance) + (x - mean) * (x - mean) / variance)
    }
}
