/// The flite voices ura links: both US English.
public enum FliteVoice: String, Sendable, CaseIterable {
    /// Clustergen "slt", female, 16 kHz: the clearer one (and what recognition tests use).
    case slt
    /// Diphone "kal", male, 8 kHz: several times cheaper on CPU, sounds older.
    case kal
}
