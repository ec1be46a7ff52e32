/// A `Duration` as a floating-point count, for rates, timeouts and reports (one conversion for the package: Mem0Client
/// is the lowest module that needs it).
extension Duration {
    /// Seconds, with the fraction.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    /// Milliseconds, with the fraction.
    public var inMilliseconds: Double { inSeconds * 1_000 }
}
