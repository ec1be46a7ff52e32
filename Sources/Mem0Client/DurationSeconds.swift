import Foundation

extension Duration {
    /// The duration as fractional seconds: the one conversion for rates, latencies and timings in every module.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
