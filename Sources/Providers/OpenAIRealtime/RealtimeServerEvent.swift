/// One server event of the Realtime API, as far as ura reads it: every field any event ura
/// acts on carries, all optional (the `type` says which apply; unknown types decode and are
/// skipped). Both the transcription and the speech-to-speech readers decode through it.
struct RealtimeServerEvent: Decodable {
    struct Item: Decodable {
        var type: String?
        var name: String?
        var call_id: String?
    }
    struct Response: Decodable {
        struct Usage: Decodable {
            struct Details: Decodable {
                var text_tokens: Int?
                var audio_tokens: Int?
            }
            var input_tokens: Int?
            var output_tokens: Int?
            var input_token_details: Details?
            var output_token_details: Details?
        }
        var status: String?
        var usage: Usage?
    }
    struct Problem: Decodable {
        var code: String?
        var message: String?
    }
    var type: String?
    var item_id: String?
    var delta: String?
    var transcript: String?
    var call_id: String?
    var name: String?
    var arguments: String?
    var item: Item?
    var response: Response?
    var error: Problem?
}
