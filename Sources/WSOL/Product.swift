/// The product's identity, recorded in checkpoints and run configs.
public enum Product {
    public static let name = "wsol"
    public static let version = "0.3.0"
}
