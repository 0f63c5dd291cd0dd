/// Where a pocketsphinx acoustic model and pronunciation dictionary live.
public struct PocketSphinxModel: Sendable, Equatable {
    /// Directory of the acoustic model (`mdef`, `means`, `feat.params`, …).
    public var acousticModel: String
    /// Pronunciation dictionary; grammar words missing from it are dropped.
    public var dictionary: String

    public init(acousticModel: String, dictionary: String) {
        self.acousticModel = acousticModel
        self.dictionary = dictionary
    }

    /// US English from Debian's `pocketsphinx-en-us` package.
    public static let debianEnglish = PocketSphinxModel(
        acousticModel: "/usr/share/pocketsphinx/model/en-us/en-us",
        dictionary: "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict")
}
