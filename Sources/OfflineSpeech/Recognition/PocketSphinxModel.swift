/// Where a pocketsphinx acoustic model and pronunciation dictionary live.
public struct PocketSphinxModel: Sendable, Equatable {
    /// Directory of the acoustic model (`mdef`, `means`, `feat.params`, …).
    public var acousticModel: String
    /// Pronunciation dictionary; grammar words missing from it are dropped.
    public var dictionary: String
    /// A statistical language model for utterances without expected phrases (the echo bot).
    /// Free-form recognition of phone audio is poor (55 % WER measured) and the model costs
    /// memory in every decoder, so grammar-only is the default.
    public var languageModel: String?

    /// A model from explicit paths.
    public init(acousticModel: String, dictionary: String, languageModel: String? = nil) {
        self.acousticModel = acousticModel
        self.dictionary = dictionary
        self.languageModel = languageModel
    }

    /// US English from Debian's `pocketsphinx-en-us` package, grammar-only.
    public static let debianEnglish = PocketSphinxModel(
        acousticModel: "/usr/share/pocketsphinx/model/en-us/en-us",
        dictionary: "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict")

    /// ``debianEnglish`` with its language model, for free-form English (the echo bot).
    public static let debianEnglishFreeForm = PocketSphinxModel(
        acousticModel: debianEnglish.acousticModel, dictionary: debianEnglish.dictionary,
        languageModel: "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin")
}
