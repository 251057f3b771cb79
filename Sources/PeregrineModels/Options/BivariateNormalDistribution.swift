#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard bivariate normal distribution, which the Bjerksund-Stensland (2002) price needs
/// for its two exercise dates. Genz's (2004) method: Gauss-Legendre quadrature of the Drezner-
/// Wesolowsky integral over the correlation for |rho| < 0.925, and of Drezner's expansion about
/// rho = +-1 above it, accurate to about 1e-15.
public enum BivariateNormalDistribution {
    /// P(X <= a, Y <= b) for standard normals X and Y with correlation `rho` in [-1, 1].
    public static func cdf(_ a: Double, _ b: Double, rho: Double) -> Double {
        upperTail(-a, -b, rho: rho)
    }

    /// P(X > h, Y > k).
    static func upperTail(_ h: Double, _ k: Double, rho: Double) -> Double {
        let r = min(1, max(-1, rho))
        let nodes = abs(r) < 0.3 ? gauss6 : abs(r) < 0.75 ? gauss12 : gauss20
        var k = k
        var hk = h * k
        var sum = 0.0
        if abs(r) < 0.925 {
            let hs = (h * h + k * k) / 2, angle = asin(r)
            for (x, w) in nodes {
                for side in [-1.0, 1.0] {
                    let sn = sin(angle * (side * x + 1) / 2)
                    sum += w * exp((sn * hk - hs) / (1 - sn * sn))
                }
            }
            return sum * angle / (4 * Double.pi) + NormalDistribution.cdf(-h) * NormalDistribution.cdf(-k)
        }
        if r < 0 {
            k = -k
            hk = -hk
        }
        if abs(r) < 1 {
            let oneMinusR2 = (1 - r) * (1 + r)
            var a = oneMinusR2.squareRoot()
            let bs = (h - k) * (h - k), c = (4 - hk) / 8, d = (12 - hk) / 16
            sum = a * exp(-(bs / oneMinusR2 + hk) / 2) * (1 - c * (bs - oneMinusR2) * (1 - d * bs / 5) / 3 + c * d * oneMinusR2 * oneMinusR2 / 5)
            if hk > -160 {
                let b = bs.squareRoot()
                sum -= exp(-hk / 2) * (2 * Double.pi).squareRoot() * NormalDistribution.cdf(-b / a) * b * (1 - c * bs * (1 - d * bs / 5) / 3)
            }
            a /= 2
            for (x, w) in nodes {
                for side in [-1.0, 1.0] {
                    let xs = (a * (side * x + 1)) * (a * (side * x + 1))
                    let rs = (1 - xs).squareRoot()
                    let exponent = -(bs / xs + hk) / 2
                    if exponent > -100 {
                        sum += a * w * exp(exponent) * (exp(-hk * (1 - rs) / (2 * (1 + rs))) / rs - (1 + c * xs * (1 + d * xs)))
                    }
                }
            }
            sum = -sum / (2 * Double.pi)
        }
        if r > 0 { return sum + NormalDistribution.cdf(-max(h, k)) }
        sum = -sum
        if k > h {
            sum += h < 0 ? NormalDistribution.cdf(k) - NormalDistribution.cdf(h) : NormalDistribution.cdf(-h) - NormalDistribution.cdf(-k)
        }
        return max(0, sum)
    }

    /// Half of the Gauss-Legendre rules on [-1, 1] with 6, 12 and 20 points (the rest by symmetry).
    private static let gauss6: [(Double, Double)] = [
        (-0.9324695142031519, 0.17132449237917027), (-0.6612093864662645, 0.3607615730481387), (-0.2386191860831969, 0.46791393457269104),
    ]
    private static let gauss12: [(Double, Double)] = [
        (-0.9815606342467192, 0.04717533638651141), (-0.9041172563704748, 0.10693932599531907), (-0.7699026741943047, 0.16007832854334642),
        (-0.5873179542866175, 0.20316742672306573), (-0.3678314989981802, 0.2334925365383546), (-0.1252334085114689, 0.2491470458134027),
    ]
    private static let gauss20: [(Double, Double)] = [
        (-0.993128599185095, 0.017614007139150893), (-0.9639719272779138, 0.040601429800386446), (-0.912234428251326, 0.06267204833410879),
        (-0.8391169718222188, 0.08327674157670471), (-0.7463319064601508, 0.1019301198172407), (-0.636053680726515, 0.1181945319615186),
        (-0.5108670019508271, 0.1316886384491769), (-0.37370608871541955, 0.1420961093183824), (-0.22778585114164507, 0.14917298647260424),
        (-0.07652652113349734, 0.15275338713072628),
    ]
}
